import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AccessContext } from '../access/access-policy.js';
import { isR4ResourceType, lookupIndexedParam } from '../search/param-lookup.js';
import { parseSearch } from '../search/parse-search.js';
import type { SearchRequest } from '../search/search-request.js';
import { SearchRepository, type FoundRow } from '../storage/search-repository.js';

export function parseQuery(resourceType: string, pairs: readonly (readonly [string, string])[], options: { lenient: boolean; baseUrl?: string }): SearchRequest {
  return parseSearch(resourceType, pairs, lookupIndexedParam, { ...options, isResourceType: isR4ResourceType });
}

/**
 * Up to `limit` resources matching a conditional interaction's criteria
 * (https://hl7.org/fhir/R4/http.html#ccreate): the caller learns only about what it may read.
 */
export async function findMatches(q: Queryable, ctx: AccessContext, resourceType: string, criteria: string, limit: number): Promise<FoundRow[]> {
  const pairs = [...new URLSearchParams(criteria)];
  if (pairs.length === 0) throw new CarelineError('bad-request', [{ diagnostics: 'A conditional request needs search criteria.' }]);
  const req = parseQuery(resourceType, pairs, { lenient: false });
  return new SearchRepository(q).page(resourceType, req.filters, [], (t) => ctx.policy.searchScope(t), { after: undefined, backwards: false, limit });
}

/** A stable key for serialising conditional writers of the same criteria. */
export function criteriaKey(resourceType: string, criteria: string): string {
  const sorted = [...new URLSearchParams(criteria)].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  return `fhir-conditional:${resourceType}?${new URLSearchParams(sorted).toString()}`;
}
