import { nonEmptyString, stringsOf, type JsonObject } from './json-value.js';
import { readR4DefinitionResources } from './read-definition-file.js';
import { isR4ResourceType, r4ResourceTypes } from './resource-types.js';
import { expressionForType } from './split-expression.js';

export { isR4ResourceType, r4ResourceTypes };

/** https://hl7.org/fhir/R4/valueset-search-param-type.html */
export const SEARCH_PARAM_TYPES = ['number', 'date', 'string', 'token', 'reference', 'composite', 'quantity', 'uri', 'special'] as const;
export type SearchParamType = (typeof SEARCH_PARAM_TYPES)[number];

export interface SearchParameterDefinition {
  readonly code: string;
  readonly type: SearchParamType;
  /** The FHIRPath branches that apply to this resource type; null when R4 gives none (_text, _content, _query). */
  readonly expression: string | null;
  /** Allowed target resource types of a reference parameter (each is also a valid `:[type]` modifier). */
  readonly targets: readonly string[];
  /** Modifiers the index rows can answer for this type of parameter (see MODIFIERS_BY_TYPE). */
  readonly modifiers: readonly string[];
  /** Canonical URL of the R4 SearchParameter, for CapabilityStatement.rest.resource.searchParam.definition. */
  readonly url: string;
}

/**
 * The modifiers of https://hl7.org/fhir/R4/search.html#modifiers that a store over the generic index
 * rows can implement. Left out on purpose: token :above/:below/:in/:not-in (need a terminology
 * server), token :of-type (the row keeps Identifier.type only as text), reference :above/:below.
 */
export const MODIFIERS_BY_TYPE: Readonly<Record<SearchParamType, readonly string[]>> = {
  string: ['missing', 'exact', 'contains'],
  token: ['missing', 'not', 'text'],
  reference: ['missing', 'identifier'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  uri: ['missing', 'above', 'below'],
  composite: [],
  special: [],
};

/** Resource types that specialise Resource directly, so DomainResource parameters skip them (R4 resource.html). */
const NOT_DOMAIN_RESOURCES = new Set(['Binary', 'Bundle', 'Parameters']);

let registry: ReadonlyMap<string, ReadonlyMap<string, SearchParameterDefinition>> | undefined;
const EMPTY: ReadonlyMap<string, SearchParameterDefinition> = new Map();

/** The R4 search parameters of a resource type by code, including the Resource-level ones (_id, _lastUpdated…). */
export function searchParametersFor(resourceType: string): ReadonlyMap<string, SearchParameterDefinition> {
  registry ??= buildRegistry();
  return registry.get(resourceType) ?? EMPTY;
}

export function searchParameter(resourceType: string, code: string): SearchParameterDefinition | undefined {
  return searchParametersFor(resourceType).get(code);
}

function buildRegistry(): Map<string, Map<string, SearchParameterDefinition>> {
  const byType = new Map<string, Map<string, SearchParameterDefinition>>(r4ResourceTypes().map((t) => [t, new Map()]));
  for (const sp of readR4DefinitionResources('search-parameters.json')) {
    if (sp.resourceType !== 'SearchParameter') continue;
    const code = nonEmptyString(sp.code);
    const type = searchParamType(sp.type);
    if (!code || !type) continue;
    const bases = stringsOf(sp.base);
    for (const resourceType of typesOf(bases)) {
      const params = byType.get(resourceType);
      if (!params || params.has(code)) continue;
      params.set(code, definitionFor(sp, code, type, resourceType, bases));
    }
  }
  return byType;
}

function typesOf(bases: readonly string[]): readonly string[] {
  if (bases.includes('Resource')) return r4ResourceTypes();
  if (bases.includes('DomainResource')) return r4ResourceTypes().filter((t) => !NOT_DOMAIN_RESOURCES.has(t));
  return bases.filter(isR4ResourceType);
}

function definitionFor(sp: JsonObject, code: string, type: SearchParamType, resourceType: string, bases: readonly string[]): SearchParameterDefinition {
  const expression = nonEmptyString(sp.expression);
  return {
    code,
    type,
    expression: expression ? expressionForType(expression, resourceType, bases) : null,
    targets: stringsOf(sp.target),
    modifiers: MODIFIERS_BY_TYPE[type],
    url: nonEmptyString(sp.url) ?? '',
  };
}

function searchParamType(value: unknown): SearchParamType | null {
  return SEARCH_PARAM_TYPES.find((t) => t === value) ?? null;
}
