import { parseQuery, type AccessContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import type { Queryable } from '../../platform/db/database.js';

/** Upper bound of resources one scheduling search may return (a 62-day calendar of a busy clinic). */
const MAX_RESULTS = 5000;

/**
 * Every resource of `resourceType` matching a FHIR search query (`actor=Practitioner/x&date=ge…`),
 * through the store with the given access, following `_cursor` pages. Values are bound by the store's
 * search parser and SQL builder, never spliced into SQL.
 */
export async function searchAll(store: FhirStore, ctx: AccessContext, resourceType: string, query: Record<string, string | readonly string[]>, q?: Queryable): Promise<FhirResource[]> {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) for (const value of typeof v === 'string' ? [v] : v) pairs.push([k, value]);
  pairs.push(['_count', '1000']);
  const out: FhirResource[] = [];
  let cursor: string | undefined;
  do {
    const req = parseQuery(resourceType, cursor ? [...pairs, ['_cursor', cursor]] : pairs, { lenient: false });
    const bundle = await store.search(ctx, req, { base: '', query: '' }, q);
    for (const e of bundle.entry) if (e.search?.mode === 'match' && e.resource) out.push(e.resource as FhirResource);
    const next = bundle.link.find((l) => l.relation === 'next')?.url;
    cursor = next ? (new URLSearchParams(next.slice(next.indexOf('?') + 1)).get('_cursor') ?? undefined) : undefined;
  } while (cursor && out.length < MAX_RESULTS);
  return out;
}
