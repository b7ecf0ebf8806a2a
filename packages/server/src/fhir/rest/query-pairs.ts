import type { FastifyRequest } from 'fastify';

/** The query string as ordered pairs: FHIR gives meaning to repetition (AND) and order matters for links. */
export function queryPairs(request: FastifyRequest, formBody?: string): [string, string][] {
  const url = request.raw.url ?? '';
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const pairs = [...new URLSearchParams(q)];
  if (formBody) pairs.push(...new URLSearchParams(formBody));
  return pairs;
}

/** The pairs re-encoded for self/next/previous links, without our paging cursor. */
export function linkQuery(pairs: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(pairs.filter(([k]) => k !== '_cursor') as [string, string][]).toString();
}
