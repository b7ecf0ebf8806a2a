import { isJsonObject, nonEmptyString, objectsOf, stringsOf } from './json-value.js';
import { readR4DefinitionFile } from './read-definition-file.js';

/**
 * The R4 Patient CompartmentDefinition (https://hl7.org/fhir/R4/compartmentdefinition-patient.html),
 * read from the official JSON: for each resource type, the search parameters whose Patient
 * references put a resource in that patient's compartment. A Patient is also in its own compartment.
 */
let table: ReadonlyMap<string, readonly string[]> | undefined;

export function patientCompartmentParams(resourceType: string): readonly string[] {
  table ??= loadTable();
  return table.get(resourceType) ?? [];
}

/** The resource types that can be in a Patient compartment. */
export function patientCompartmentTypes(): readonly string[] {
  table ??= loadTable();
  return [...table.keys()];
}

function loadTable(): Map<string, readonly string[]> {
  const definition = readR4DefinitionFile('compartmentdefinition-patient.json');
  const out = new Map<string, readonly string[]>();
  if (!isJsonObject(definition)) return out;
  for (const entry of objectsOf(definition.resource)) {
    const code = nonEmptyString(entry.code);
    const params = stringsOf(entry.param);
    if (code && params.length > 0) out.set(code, params);
  }
  return out;
}
