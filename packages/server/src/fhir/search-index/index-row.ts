/**
 * One search-index row per (parameter, value) of a resource, produced at write time and stored by
 * the FHIR store in one generic table. The kind follows the parameter's R4 type
 * (https://hl7.org/fhir/R4/search.html#ptypes); composite and special parameters produce no rows.
 */
export interface TokenRow {
  readonly kind: 'token';
  readonly param: string;
  readonly system: string | null;
  readonly code: string | null;
  /** Display text (CodeableConcept.text, Coding.display, Identifier.type.text), normalised for :text. */
  readonly text: string | null;
}

export interface StringRow {
  readonly kind: 'string';
  readonly param: string;
  /** Lower-cased, accents stripped, whitespace collapsed: compare with a normalised query by prefix. */
  readonly value: string;
  /** The text as written, for :exact. */
  readonly exact: string;
}

export interface DateRow {
  readonly kind: 'date';
  readonly param: string;
  /** ISO instants (UTC, millisecond precision) bounding the period the value covers, inclusive. */
  readonly low: string;
  readonly high: string;
}

export interface ReferenceRow {
  readonly kind: 'reference';
  readonly param: string;
  /** 'Type/id' for local references; absolute URLs, urn:uuid:, urn:oid: and '#contained' as written. */
  readonly ref: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
}

export interface NumberRow {
  readonly kind: 'number';
  readonly param: string;
  /** The decimal as text, so a numeric column keeps it exactly. */
  readonly value: string;
}

export interface QuantityRow {
  readonly kind: 'quantity';
  readonly param: string;
  readonly value: string;
  readonly system: string | null;
  readonly code: string | null;
  readonly unit: string | null;
  /** Quantity.comparator ('<', '<=', '>=', '>'): the value is a bound, not a measurement. */
  readonly comparator: string | null;
}

export interface UriRow {
  readonly kind: 'uri';
  readonly param: string;
  readonly value: string;
}

export type IndexRow = TokenRow | StringRow | DateRow | ReferenceRow | NumberRow | QuantityRow | UriRow;

export interface ExtractedIndex {
  readonly rows: IndexRow[];
  /** 'Patient/<id>' for each Patient compartment the resource is in, sorted. */
  readonly compartments: string[];
}
