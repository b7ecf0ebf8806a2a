import { isJsonObject, nonEmptyString, objectsOf, stringsOf, type JsonObject } from '../definitions/json-value.js';
import { readR4DefinitionResources } from '../definitions/read-definition-file.js';

/**
 * Expands the value sets of required bindings on `code` elements, from the R4 valuesets.json
 * (https://hl7.org/fhir/R4/terminologies.html#required). Only value sets that enumerate their codes
 * can be expanded here; mime types (BCP 13), currencies (ISO 4217), filter-based or v3 value sets
 * (e.g. Composition.confidentiality) are left unchecked rather than guessed.
 */
export function expandRequiredValueSets(urls: Iterable<string>): Map<string, ReadonlySet<string>> {
  const valueSets = new Map<string, JsonObject>();
  const codeSystems = new Map<string, JsonObject>();
  for (const r of readR4DefinitionResources('valuesets.json')) {
    const url = nonEmptyString(r.url);
    if (url === null) continue;
    if (r.resourceType === 'ValueSet') valueSets.set(url, r);
    else if (r.resourceType === 'CodeSystem') codeSystems.set(url, r);
  }
  const out = new Map<string, ReadonlySet<string>>();
  for (const url of urls) {
    const codes = expand(url, valueSets, codeSystems, new Set());
    if (codes) out.set(url, codes);
  }
  return out;
}

/** `seen` holds the value sets being expanded above this one, to stop an include cycle. */
function expand(versionedUrl: string, valueSets: Map<string, JsonObject>, codeSystems: Map<string, JsonObject>, seen: ReadonlySet<string>): Set<string> | null {
  const url = versionedUrl.split('|')[0] ?? versionedUrl;
  if (seen.has(url)) return null;
  const compose = valueSets.get(url)?.compose;
  if (!isJsonObject(compose) || compose.exclude !== undefined) return null;
  const codes = new Set<string>();
  for (const include of objectsOf(compose.include)) {
    if (include.filter !== undefined) return null;
    for (const nested of stringsOf(include.valueSet)) {
      const more = expand(nested, valueSets, codeSystems, new Set(seen).add(url));
      if (!more) return null;
      for (const c of more) codes.add(c);
    }
    const listed = objectsOf(include.concept);
    if (listed.length > 0) {
      for (const c of listed) if (typeof c.code === 'string') codes.add(c.code);
      continue;
    }
    const system = nonEmptyString(include.system);
    if (system === null) continue;
    const cs = codeSystems.get(system);
    if (!cs || cs.content !== 'complete') return null;
    addConcepts(cs.concept, codes);
  }
  return codes.size > 0 ? codes : null;
}

function addConcepts(concepts: unknown, into: Set<string>): void {
  for (const c of objectsOf(concepts)) {
    if (typeof c.code === 'string') into.add(c.code);
    addConcepts(c.concept, into);
  }
}
