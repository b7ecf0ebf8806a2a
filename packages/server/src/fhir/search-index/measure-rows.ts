import { isJsonObject, nonEmptyString } from '../definitions/json-value.js';
import { isPrimitiveNode, type TypedNode } from './fhirpath-engine.js';
import { truncateForIndex } from './normalize-text.js';
import type { RowSink } from './row-sink.js';

/** Quantity and its profiles/specialisations (https://hl7.org/fhir/R4/datatypes.html#Quantity). */
const QUANTITY_TYPES = new Set(['Quantity', 'SimpleQuantity', 'MoneyQuantity', 'Age', 'Count', 'Distance', 'Duration']);
const COMPARATORS = new Set(['<', '<=', '>=', '>']);
// Money.currency is an ISO 4217 code (https://hl7.org/fhir/R4/datatypes.html#Money).
const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

/**
 * Numbers are written as JSON text, so the value is the decimal's shortest exact text. (Trailing
 * zeros such as "1.50" are already gone once JSON.parse has run.)
 */
export function decimalText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return value;
  return null;
}

/** https://hl7.org/fhir/R4/search.html#number */
export function addNumberRows(sink: RowSink, param: string, node: TypedNode): void {
  const value = isPrimitiveNode(node) ? decimalText(node.value) : null;
  if (value !== null) sink.add({ kind: 'number', param, value });
}

/**
 * https://hl7.org/fhir/R4/search.html#quantity. Range and SampledData (also reached by some R4
 * quantity expressions) are not single quantities and give no row.
 */
export function addQuantityRows(sink: RowSink, param: string, node: TypedNode): void {
  const { type, value } = node;
  if (!isJsonObject(value)) return;
  const number = decimalText(value.value);
  if (number === null) return;
  if (type === 'Money') {
    const currency = nonEmptyString(value.currency);
    sink.add({ kind: 'quantity', param, value: number, system: currency && CURRENCY_SYSTEM, code: currency, unit: currency, comparator: null });
  } else if (QUANTITY_TYPES.has(type)) {
    const comparator = typeof value.comparator === 'string' && COMPARATORS.has(value.comparator) ? value.comparator : null;
    sink.add({
      kind: 'quantity',
      param,
      value: number,
      system: capped(value.system),
      code: capped(value.code),
      unit: capped(value.unit),
      comparator,
    });
  }
}

/** https://hl7.org/fhir/R4/search.html#uri */
export function addUriRows(sink: RowSink, param: string, node: TypedNode): void {
  const value = isPrimitiveNode(node) ? nonEmptyString(node.value) : null;
  if (value !== null) sink.add({ kind: 'uri', param, value: truncateForIndex(value) });
}

function capped(value: unknown): string | null {
  const text = nonEmptyString(value);
  return text === null ? null : truncateForIndex(text);
}
