import { isJsonObject, nonEmptyString } from '../definitions/json-value.js';
import { parseReference } from '../definitions/reference-grammar.js';
import { isR4ResourceType } from '../definitions/resource-types.js';
import { isPrimitiveNode, type TypedNode } from './fhirpath-engine.js';
import { normalizeSearchText, truncateForIndex } from './normalize-text.js';
import type { RowSink } from './row-sink.js';

/**
 * Reference rows per https://hl7.org/fhir/R4/search.html#reference. A Reference that carries an
 * identifier also gets a token row under the same parameter, which is what `:identifier` searches
 * (a Reference may hold only an identifier: https://hl7.org/fhir/R4/references.html#logical).
 */
export function addReferenceRows(sink: RowSink, param: string, node: TypedNode, serverBase: string | undefined): void {
  const { type, value } = node;
  if (typeof value === 'string') {
    // canonical / uri targets (e.g. PlanDefinition.definition): kept as written.
    if (isPrimitiveNode(node)) addRef(sink, param, value, serverBase);
    return;
  }
  if (!isJsonObject(value)) return;
  if (type === 'Reference') {
    const reference = nonEmptyString(value.reference);
    if (reference !== null) addRef(sink, param, reference, serverBase);
    if (isJsonObject(value.identifier)) {
      const identifier = value.identifier;
      const idType = isJsonObject(identifier.type) ? nonEmptyString(identifier.type.text) : null;
      const system = nonEmptyString(identifier.system);
      const code = nonEmptyString(identifier.value);
      if (system !== null || code !== null) {
        sink.add({
          kind: 'token',
          param,
          system: system === null ? null : truncateForIndex(system),
          code: code === null ? null : truncateForIndex(code),
          text: idType === null ? null : normalizeSearchText(idType),
        });
      }
    }
    return;
  }
  // A whole resource (Bundle.entry[0].resource for Bundle's composition and message parameters).
  const id = nonEmptyString(value.id);
  if (isR4ResourceType(type) && id !== null) addRef(sink, param, `${type}/${id}`, serverBase);
}

function addRef(sink: RowSink, param: string, reference: string, serverBase: string | undefined): void {
  const parsed = parseReference(reference, serverBase);
  const ref = truncateForIndex(parsed?.ref ?? reference);
  sink.add({ kind: 'reference', param, ref, targetType: parsed?.targetType ?? null, targetId: parsed?.targetId ?? null });
}
