import { r4StructureDefinitions } from './structure-definitions.js';

let choices: ReadonlyMap<string, readonly string[]> | undefined;

/**
 * The JSON property names an element of a resource can appear under. A choice element `value[x]`
 * appears as `valueQuantity`, `valueString`… (https://hl7.org/fhir/R4/formats.html#choice);
 * any other element under its own name.
 */
export function jsonKeysOf(resourceType: string, element: string): readonly string[] {
  choices ??= buildChoices();
  return choices.get(`${resourceType}.${element}`) ?? [element];
}

/** `dateTime` → `DateTime`: the suffix a type gives a choice element's JSON name. */
export function choiceSuffix(typeCode: string): string {
  return typeCode.charAt(0).toUpperCase() + typeCode.slice(1);
}

function buildChoices(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const sd of r4StructureDefinitions()) {
    if (sd.kind !== 'resource' || sd.derivation === 'constraint') continue;
    for (const el of sd.elements) {
      if (!el.path.endsWith('[x]')) continue;
      const base = el.path.slice(0, -3);
      const name = base.slice(base.lastIndexOf('.') + 1);
      out.set(base, el.types.map((t) => name + choiceSuffix(t.code)));
    }
  }
  return out;
}
