import * as z from 'zod/mini';
import { request } from './http';

/** A FHIR searchset Bundle, loosely: the screens read the few fields they show. */
const ZResource = z.looseObject({ resourceType: z.string(), id: z.optional(z.string()) });
const ZBundle = z.object({
  resourceType: z.literal('Bundle'),
  total: z.optional(z.number()),
  entry: z.optional(z.array(z.object({ resource: z.optional(ZResource) }))),
});
export type TFhirResource = z.infer<typeof ZResource>;

export interface SearchResult {
  readonly total: number | undefined;
  readonly resources: readonly TFhirResource[];
}

export async function fhirSearch(type: string, params: Record<string, string>, signal?: AbortSignal): Promise<SearchResult> {
  const query = new URLSearchParams(params).toString();
  const { data } = await request(`/fhir/R4/${type}${query ? `?${query}` : ''}`, ZBundle, {
    accept: 'application/fhir+json',
    ...(signal ? { signal } : {}),
  });
  return { total: data.total, resources: (data.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])) };
}
