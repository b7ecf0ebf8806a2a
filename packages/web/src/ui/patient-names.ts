import { useQueries, useQuery } from '@tanstack/react-query';
import { fhirRead, fhirSearch } from '../api/fhir-api';
import { humanName } from '../api/fhir-display';

/** The query key of one Patient's display name (shared so a live message can prefetch it). */
export const patientNameKey = (reference: string) => ['fhir', 'name', reference] as const;

export async function readPatientName(reference: string, signal?: AbortSignal): Promise<string | null> {
  const resource = await fhirRead(reference, signal);
  return resource ? (humanName(resource) ?? null) : null;
}

/**
 * Names of patients by reference ("Patient/<id>" → "Given Family"), each read once through FHIR with
 * the session and kept for the page's life. Unknown or unreadable patients are absent from the map.
 */
export function usePatientNames(references: readonly string[]): ReadonlyMap<string, string> {
  const unique = [...new Set(references)].filter((r) => r.startsWith('Patient/'));
  const results = useQueries({
    queries: unique.map((ref) => ({
      queryKey: patientNameKey(ref),
      queryFn: ({ signal }: { signal: AbortSignal }) => readPatientName(ref, signal),
      staleTime: Infinity,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((ref, i) => {
    const name = results[i]?.data;
    if (name) names.set(ref, name);
  });
  return names;
}

/** The same for a page of many patients, in one search (`Patient?_id=a,b,…`). */
export function usePatientNamesBySearch(references: readonly string[]): ReadonlyMap<string, string> {
  const ids = [...new Set(references.filter((r) => r.startsWith('Patient/')).map((r) => r.slice('Patient/'.length)))].sort();
  const query = useQuery({
    queryKey: ['fhir', 'names', ids],
    queryFn: ({ signal }) => fhirSearch('Patient', { _id: ids.join(','), _count: String(ids.length), _elements: 'name' }, signal),
    enabled: ids.length > 0,
    staleTime: Infinity,
    retry: false,
  });
  const names = new Map<string, string>();
  for (const r of query.data?.resources ?? []) {
    const name = humanName(r);
    if (r.id && name) names.set(`Patient/${r.id}`, name);
  }
  return names;
}
