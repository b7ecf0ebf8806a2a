/**
 * A parsed FHIR search (https://hl7.org/fhir/R4/search.html), independent of SQL. Parameter names
 * and values here have been checked against the R4 definitions; the SQL builder only ever binds
 * them as parameters.
 */
export type SearchParamType = 'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri';

export interface SearchParamInfo {
  readonly code: string;
  readonly type: SearchParamType | 'composite' | 'special';
  readonly targets: readonly string[];
}

/** Finds a search parameter of a resource type (undefined: no such parameter). */
export type ParamLookup = (resourceType: string, code: string) => SearchParamInfo | undefined;

/** eq ne gt lt ge le sa eb ap: https://hl7.org/fhir/R4/search.html#prefix */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export interface RangeCondition {
  readonly prefix: Prefix;
  /** Inclusive bounds of the search value's implicit range (ISO instants or decimal text). */
  readonly low: string;
  readonly high: string;
  /** The value as written (numbers and quantities compare against it for gt/lt/ge/le). */
  readonly value?: string;
}

export interface TokenValue {
  /** undefined: any system; null: no system (`|code`). */
  readonly system: string | null | undefined;
  /** undefined: any code in the system (`system|`). */
  readonly code: string | undefined;
}

export type Filter =
  | { readonly kind: 'id'; readonly values: readonly string[]; readonly not: boolean }
  | { readonly kind: 'lastUpdated'; readonly conditions: readonly RangeCondition[] }
  | { readonly kind: 'token'; readonly param: string; readonly modifier: 'none' | 'not'; readonly values: readonly TokenValue[] }
  | { readonly kind: 'token-text'; readonly param: string; readonly values: readonly string[] }
  | { readonly kind: 'string'; readonly param: string; readonly modifier: 'starts' | 'exact' | 'contains'; readonly values: readonly string[] }
  | { readonly kind: 'uri'; readonly param: string; readonly values: readonly string[] }
  | { readonly kind: 'date'; readonly param: string; readonly conditions: readonly RangeCondition[] }
  | { readonly kind: 'number'; readonly param: string; readonly conditions: readonly RangeCondition[] }
  | { readonly kind: 'quantity'; readonly param: string; readonly conditions: readonly (RangeCondition & { readonly system: string | undefined; readonly code: string | undefined })[] }
  | { readonly kind: 'reference'; readonly param: string; readonly refs: readonly string[] }
  | { readonly kind: 'missing'; readonly param: string; readonly missing: boolean }
  /** subject:Patient.name=x — resources whose `param` points at a `targetType` matching `inner`. */
  | { readonly kind: 'chain'; readonly param: string; readonly targetType: string; readonly inner: Filter }
  /** _has:Observation:subject:code=x — resources pointed at by a `sourceType.param` matching `inner`. */
  | { readonly kind: 'has'; readonly sourceType: string; readonly param: string; readonly inner: Filter };

export type SortKey =
  | { readonly kind: 'id'; readonly descending: boolean }
  | { readonly kind: 'lastUpdated'; readonly descending: boolean }
  | { readonly kind: 'param'; readonly param: string; readonly type: 'string' | 'token' | 'date' | 'number' | 'quantity' | 'reference' | 'uri'; readonly descending: boolean };

export interface IncludeSpec {
  /** The resource type whose reference parameter is followed (source of the reference). */
  readonly sourceType: string;
  /** The reference parameter, or '*' for all of them. */
  readonly param: string;
  readonly targetType: string | undefined;
  readonly iterate: boolean;
}

export interface SearchRequest {
  readonly resourceType: string;
  readonly filters: readonly Filter[];
  readonly sort: readonly SortKey[];
  readonly count: number;
  readonly total: 'none' | 'accurate' | 'estimate' | undefined;
  readonly summary: 'count' | 'true' | 'data' | 'text' | 'false' | undefined;
  readonly elements: readonly string[] | undefined;
  readonly include: readonly IncludeSpec[];
  readonly revinclude: readonly IncludeSpec[];
  readonly cursor: string | undefined;
  /** Parameters ignored under Prefer: handling=lenient, reported in the Bundle. */
  readonly ignored: readonly string[];
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
