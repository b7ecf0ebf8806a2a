import { indexedSearchParameters } from '../search-index/indexed-search-parameters.js';
import type { IndexRow } from '../search-index/extract-index.js';

/**
 * A resource type's main clinical date: the search parameter that "newest first" means for it
 * (Observation.date = effective[x], Appointment.date = start, Communication.sent, …). Its latest
 * instant is copied onto the resource's reference rows (fhir_search.date_high), so that a search
 * for one patient's resources sorted by that date reads one index in order instead of sorting.
 */
const CANDIDATES = ['date', 'sent', 'authored', 'created', 'issued', 'recorded', 'period'];
const cache = new Map<string, string | null>();

export function mainDateParam(resourceType: string): string | undefined {
  let p = cache.get(resourceType);
  if (p === undefined) {
    const dates = new Set(indexedSearchParameters(resourceType).filter((d) => d.type === 'date').map((d) => d.code));
    p = CANDIDATES.find((c) => dates.has(c)) ?? null;
    cache.set(resourceType, p);
  }
  return p ?? undefined;
}

/** '-infinity' for a resource without that date: it sorts last when newest comes first. */
export const NO_DATE = '-infinity';

export function mainDateHigh(resourceType: string, rows: readonly IndexRow[]): string {
  const param = mainDateParam(resourceType);
  let high: string | undefined;
  if (param) {
    for (const r of rows) if (r.kind === 'date' && r.param === param && (high === undefined || r.high > high)) high = r.high;
  }
  return high ?? NO_DATE;
}
