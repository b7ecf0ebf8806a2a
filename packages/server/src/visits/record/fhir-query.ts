import { parseQuery, type AccessContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
// The store takes parsed searches; parseQuery is the same parser the REST API uses, so a search here
// is checked against the R4 definitions and scoped by the caller's policy exactly like GET /fhir/R4.

/** Up to `count` resources of `type` matching `pairs` that the caller may read (an audited search). */
export async function searchAll(store: FhirStore, ctx: AccessContext, type: string, pairs: readonly (readonly [string, string])[], count = 200): Promise<FhirResource[]> {
  const req = parseQuery(type, [...pairs, ['_count', String(count)]], { lenient: false });
  const bundle = await store.search(ctx, req, { base: '', query: '' });
  return bundle.entry.filter((e) => e.search?.mode === 'match').map((e) => e.resource as FhirResource);
}

/** A FHIR HumanName list as one line ("Ana Ortiz"), or undefined when there is none. */
export function nameOf(resource: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const names = resource?.name;
  if (!Array.isArray(names)) return undefined;
  const n = names[0] as { text?: string; given?: string[]; family?: string; prefix?: string[] } | undefined;
  if (!n) return undefined;
  if (n.text) return n.text;
  const parts = [...(n.prefix ?? []), ...(n.given ?? []), ...(n.family ? [n.family] : [])];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export const refOf = (value: unknown): string | undefined => {
  const r = (value as { reference?: unknown } | undefined)?.reference;
  return typeof r === 'string' ? r : undefined;
};
export const displayOf = (value: unknown): string | undefined => {
  const d = (value as { display?: unknown } | undefined)?.display;
  return typeof d === 'string' ? d : undefined;
};
