/**
 * What index extraction needs from a FHIRPath engine: compile an expression once, then evaluate
 * it against many resources, getting each result with its FHIR type code (`CodeableConcept`,
 * `dateTime`, `string`…). Two engines fit: fhirpath.js (used) and @medplum/core (benchmarked).
 */
export interface TypedNode {
  /** A FHIR type code (`Quantity`, `dateTime`), or a resource type for a resource. */
  readonly type: string;
  readonly value: unknown;
}

export type CompiledExpression = (resource: object) => readonly TypedNode[];

export interface FhirPathEngine {
  readonly name: string;
  /** Throws when the expression does not parse. */
  compile(expression: string): CompiledExpression;
}

/** FHIRPath system types (https://hl7.org/fhirpath/N1/#types) as the FHIR primitive they come from. */
const SYSTEM_TYPES: Readonly<Record<string, string>> = {
  'System.String': 'string',
  'System.Boolean': 'boolean',
  'System.Integer': 'integer',
  'System.Decimal': 'decimal',
  'System.Date': 'date',
  'System.DateTime': 'dateTime',
  'System.Time': 'time',
  'System.Quantity': 'Quantity',
  String: 'string',
  Boolean: 'boolean',
  Integer: 'integer',
  Decimal: 'decimal',
};

export function fhirTypeCode(type: string): string {
  return SYSTEM_TYPES[type] ?? type;
}

/** The type of a bare JavaScript value that an engine returned without type information. */
export function typeOfBareValue(value: unknown): string | null {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  return null;
}

/** FHIR primitive type codes start with a lower-case letter (`dateTime`), complex ones upper-case (`Period`). */
export function isPrimitiveNode(node: TypedNode): boolean {
  const first = node.type.charCodeAt(0);
  return first >= 97 && first <= 122;
}
