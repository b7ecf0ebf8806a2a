import { readR4DefinitionResources } from '../definitions/read-definition-file.js';
import { isJsonObject } from '../definitions/json-value.js';

let summaryByType: Map<string, Set<string>> | undefined;

/**
 * Top-level elements marked isSummary in the R4 resource definitions: what `_summary=true` keeps
 * (https://hl7.org/fhir/R4/search.html#summary). Loaded on first use only.
 */
export function summaryElements(resourceType: string): ReadonlySet<string> {
  if (!summaryByType) {
    summaryByType = new Map();
    for (const sd of readR4DefinitionResources('profiles-resources.json')) {
      if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || typeof sd.type !== 'string') continue;
      const type = sd.type;
      const set = new Set<string>();
      const snapshot = sd.snapshot;
      const elements = isJsonObject(snapshot) && Array.isArray(snapshot.element) ? snapshot.element : [];
      for (const e of elements) {
        if (!isJsonObject(e) || typeof e.path !== 'string' || e.isSummary !== true) continue;
        const parts = e.path.split('.');
        if (parts.length === 2 && parts[1]) set.add(parts[1].replace('[x]', ''));
      }
      summaryByType.set(type, set);
    }
  }
  return summaryByType.get(resourceType) ?? new Set();
}
