import { isR4ResourceType, searchParameter } from '../definitions/search-parameters.js';
import { indexedSearchParameters } from '../search-index/indexed-search-parameters.js';
import type { ParamLookup, SearchParamInfo } from './search-request.js';

let indexed: Map<string, Set<string>> | undefined;

/**
 * Only parameters the index actually holds are searchable: a parameter we skip at extraction
 * (composite, special, uncompilable) must answer 400, not an empty result that looks like "no match".
 */
export const lookupIndexedParam: ParamLookup = (resourceType, code): SearchParamInfo | undefined => {
  indexed ??= new Map();
  let codes = indexed.get(resourceType);
  if (!codes) {
    codes = new Set(indexedSearchParameters(resourceType).map((p) => p.code));
    indexed.set(resourceType, codes);
  }
  if (!codes.has(code)) return undefined;
  return searchParameter(resourceType, code);
};

export { isR4ResourceType };
