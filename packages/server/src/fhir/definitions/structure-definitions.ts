import { isJsonObject, nonEmptyString, objectsOf, stringsOf, type JsonObject } from './json-value.js';
import { readR4DefinitionResources } from './read-definition-file.js';

/** The parts of an ElementDefinition (https://hl7.org/fhir/R4/elementdefinition.html) Careline uses. */
export interface ElementSummary {
  readonly path: string;
  readonly min: number;
  /** '*' or a number as text, as in the definition. */
  readonly max: string;
  readonly types: readonly ElementTypeSummary[];
  /** '#Questionnaire.item' when the element reuses another element's content. */
  readonly contentReference: string | null;
  readonly binding: { readonly strength: string; readonly valueSet: string } | null;
}

export interface ElementTypeSummary {
  readonly code: string;
  /** For Reference and canonical: the allowed target profiles' last path segment (resource type). */
  readonly targets: readonly string[];
}

export interface StructureSummary {
  readonly name: string;
  readonly type: string;
  readonly kind: string;
  readonly abstract: boolean;
  readonly derivation: string | null;
  /** The type this one specialises (`Age` → `Quantity`), from baseDefinition. */
  readonly base: string | null;
  readonly elements: readonly ElementSummary[];
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

let cache: readonly StructureSummary[] | undefined;

/**
 * Every base datatype and resource StructureDefinition of R4, summarised once per process. The raw
 * files (about 37 MB of JSON) are parsed once and then left to the garbage collector.
 */
export function r4StructureDefinitions(): readonly StructureSummary[] {
  cache ??= [...readR4DefinitionResources('profiles-types.json'), ...readR4DefinitionResources('profiles-resources.json')]
    .filter((r) => r.resourceType === 'StructureDefinition')
    .map(summarise);
  return cache;
}

function summarise(sd: JsonObject): StructureSummary {
  const elements = isJsonObject(sd.snapshot) ? objectsOf(sd.snapshot.element) : [];
  return {
    name: nonEmptyString(sd.id) ?? '',
    type: nonEmptyString(sd.type) ?? '',
    kind: nonEmptyString(sd.kind) ?? '',
    abstract: sd.abstract === true,
    derivation: nonEmptyString(sd.derivation),
    base: lastSegment(nonEmptyString(sd.baseDefinition)),
    elements: elements.map(summariseElement),
  };
}

function summariseElement(el: JsonObject): ElementSummary {
  const binding = isJsonObject(el.binding) ? el.binding : null;
  const strength = binding ? nonEmptyString(binding.strength) : null;
  const valueSet = binding ? nonEmptyString(binding.valueSet) : null;
  return {
    path: nonEmptyString(el.path) ?? '',
    min: typeof el.min === 'number' ? el.min : 0,
    max: nonEmptyString(el.max) ?? '*',
    types: objectsOf(el.type).map(summariseType),
    contentReference: nonEmptyString(el.contentReference),
    binding: strength && valueSet ? { strength, valueSet } : null,
  };
}

function summariseType(t: JsonObject): ElementTypeSummary {
  // R4 types id and Extension.url as FHIRPath System.String, naming the FHIR type in an extension.
  const fhirType = objectsOf(t.extension).find((e) => e.url === FHIR_TYPE_EXTENSION);
  const code = nonEmptyString(fhirType?.valueUrl) ?? nonEmptyString(t.code) ?? '';
  const targets = stringsOf(t.targetProfile).map((p) => p.slice(p.lastIndexOf('/') + 1));
  return { code, targets };
}

function lastSegment(url: string | null): string | null {
  return url === null ? null : url.slice(url.lastIndexOf('/') + 1);
}
