import { choiceSuffix } from './element-keys.js';
import { r4StructureDefinitions } from './structure-definitions.js';

/** An element as navigation needs it: where its value sits in JSON and what type it has there. */
export interface ElementEntry {
  readonly choice: boolean;
  /** Each possible type with the JSON key it is stored under (`valueQuantity` for value[x] as Quantity). */
  readonly types: readonly { readonly code: string; readonly key: string }[];
  /** For an element whose children are defined inline (BackboneElement) or by contentReference: their path. */
  readonly childPath: string | null;
}

interface ElementIndex {
  readonly elements: ReadonlyMap<string, ElementEntry>;
  readonly parents: ReadonlyMap<string, string>;
}

let index: ElementIndex | undefined;

/** Every element of every R4 datatype and resource, by path without [x] (`Observation.value`). */
export function elementAt(path: string): ElementEntry | undefined {
  index ??= buildIndex();
  return index.elements.get(path);
}

/** Whether `type` is `ancestor` or specialises it (Age is a Quantity: https://hl7.org/fhir/R4/datatypes.html#Age). */
export function isTypeOrSubtype(type: string, ancestor: string): boolean {
  index ??= buildIndex();
  for (let t: string | undefined = type; t !== undefined; t = index.parents.get(t)) if (t === ancestor) return true;
  return false;
}

function buildIndex(): ElementIndex {
  const elements = new Map<string, ElementEntry>();
  const parents = new Map<string, string>();
  for (const sd of r4StructureDefinitions()) {
    if (sd.derivation === 'constraint') continue;
    // Primitive types specialise too (canonical is a uri), which ofType() honours.
    if (sd.base) parents.set(sd.type, sd.base);
    if (sd.kind !== 'complex-type' && sd.kind !== 'resource') continue;
    const withChildren = new Set(sd.elements.map((e) => e.path.slice(0, Math.max(0, e.path.lastIndexOf('.')))));
    for (const el of sd.elements) {
      if (!el.path.includes('.')) continue;
      const choice = el.path.endsWith('[x]');
      const path = choice ? el.path.slice(0, -3) : el.path;
      const name = path.slice(path.lastIndexOf('.') + 1);
      const codes = el.contentReference ? ['BackboneElement'] : el.types.map((t) => t.code);
      const types = codes.map((code) => ({ code, key: choice ? name + choiceSuffix(code) : name }));
      const childPath = el.contentReference ? el.contentReference.slice(1) : withChildren.has(el.path) ? el.path : null;
      elements.set(path, { choice, types, childPath });
    }
  }
  return { elements, parents };
}
