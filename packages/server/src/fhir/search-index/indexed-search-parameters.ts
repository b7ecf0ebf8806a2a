import { r4ResourceTypes, searchParametersFor, type SearchParameterDefinition } from '../definitions/search-parameters.js';
import { extractionPlan, type SkippedParameter } from './extraction-plan.js';
import { defaultEngine } from './default-engine.js';

export type { SkipReason, SkippedParameter } from './extraction-plan.js';

/**
 * The parameters of a type that extractIndex fills, so a CapabilityStatement lists only searches
 * that work (https://hl7.org/fhir/R4/capabilitystatement-definitions.html#CapabilityStatement.rest.resource.searchParam).
 */
export function indexedSearchParameters(resourceType: string): SearchParameterDefinition[] {
  const skipped = new Set(extractionPlan(defaultEngine, resourceType).skipped.map((s) => s.code));
  return [...searchParametersFor(resourceType).values()].filter((sp) => !skipped.has(sp.code));
}

/** Every R4 parameter that produces no index rows, with why (composite, special, no expression…). */
export function skippedSearchParameters(): SkippedParameter[] {
  return r4ResourceTypes().flatMap((t) => extractionPlan(defaultEngine, t).skipped);
}
