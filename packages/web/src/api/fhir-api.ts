import * as z from 'zod/mini';
import { ApiError, request } from './http';

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

/** Reads one resource (Patient/<id> …) with the session; null when it does not exist or is out of reach (404). */
export async function fhirRead(reference: string, signal?: AbortSignal): Promise<TFhirResource | null> {
  const [type, id] = reference.split('/');
  if (!type || !id) return null;
  try {
    const { data } = await request(`/fhir/R4/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, ZResource, {
      accept: 'application/fhir+json',
      ...(signal ? { signal } : {}),
    });
    return data;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 410)) return null;
    throw err;
  }
}
