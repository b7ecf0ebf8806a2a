import { isJsonObject, nonEmptyString, objectsOf, type JsonObject } from '../definitions/json-value.js';
import { isPrimitiveNode, type TypedNode } from './fhirpath-engine.js';
import { normalizeSearchText, truncateForIndex } from './normalize-text.js';
import type { RowSink } from './row-sink.js';

/** Token rows per https://hl7.org/fhir/R4/search.html#token (the table of types a token matches). */
export function addTokenRows(sink: RowSink, param: string, node: TypedNode): void {
  const { type, value } = node;
  if (isJsonObject(value)) {
    switch (type) {
      case 'Coding':
        addCoding(sink, param, value);
        return;
      case 'CodeableConcept':
        for (const coding of objectsOf(value.coding)) addCoding(sink, param, coding);
        // CodeableConcept.text is searched by :text, alongside each Coding.display.
        add(sink, param, null, null, nonEmptyString(value.text));
        return;
      case 'Identifier': {
        const idType = isJsonObject(value.type) ? nonEmptyString(value.type.text) : null;
        add(sink, param, nonEmptyString(value.system), nonEmptyString(value.value), idType);
        return;
      }
      case 'ContactPoint':
        // The spec matches ContactPoint.value only; its system (phone, email) is not a token system.
        add(sink, param, null, nonEmptyString(value.value), null);
        return;
      default:
        return;
    }
  }
  // code, boolean, string, id, uri…: the value is the code, with no system. A primitive where the
  // definition says CodeableConcept (invalid data) is skipped.
  if (!isPrimitiveNode(node)) return;
  if (typeof value === 'string') add(sink, param, null, nonEmptyString(value), null);
  else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) add(sink, param, null, String(value), null);
}

function addCoding(sink: RowSink, param: string, coding: JsonObject): void {
  add(sink, param, nonEmptyString(coding.system), nonEmptyString(coding.code), nonEmptyString(coding.display));
}

function add(sink: RowSink, param: string, system: string | null, code: string | null, text: string | null): void {
  if (system === null && code === null && text === null) return;
  sink.add({
    kind: 'token',
    param,
    system: system === null ? null : truncateForIndex(system),
    code: code === null ? null : truncateForIndex(code),
    text: text === null ? null : normalizeSearchText(text),
  });
}
