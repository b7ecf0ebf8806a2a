import { isJsonObject, nonEmptyString, stringsOf, type JsonObject } from '../definitions/json-value.js';
import { isPrimitiveNode, type TypedNode } from './fhirpath-engine.js';
import { normalizeSearchText, truncateForIndex } from './normalize-text.js';
import type { RowSink } from './row-sink.js';

/**
 * String rows per https://hl7.org/fhir/R4/search.html#string: a HumanName or Address matches on
 * any of its parts, so each part is its own row and a prefix query can hit any of them.
 */
export function addStringRows(sink: RowSink, param: string, node: TypedNode): void {
  const { type, value } = node;
  if (typeof value === 'string') {
    if (isPrimitiveNode(node)) add(sink, param, value);
    return;
  }
  if (!isJsonObject(value)) return;
  if (type === 'HumanName') addParts(sink, param, value, ['family', 'text'], ['given', 'prefix', 'suffix']);
  else if (type === 'Address') addParts(sink, param, value, ['city', 'district', 'state', 'postalCode', 'country', 'text'], ['line']);
}

function addParts(sink: RowSink, param: string, value: JsonObject, single: readonly string[], repeated: readonly string[]): void {
  for (const key of single) {
    const part = nonEmptyString(value[key]);
    if (part !== null) add(sink, param, part);
  }
  for (const key of repeated) for (const part of stringsOf(value[key])) add(sink, param, part);
}

function add(sink: RowSink, param: string, text: string): void {
  const normalized = normalizeSearchText(text);
  if (normalized.length === 0) return;
  sink.add({ kind: 'string', param, value: normalized, exact: truncateForIndex(text) });
}
