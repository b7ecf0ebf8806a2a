import type { FhirResource } from '../store/resource-types.js';
import { summaryElements } from './summary-elements.js';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

function keeps(names: ReadonlySet<string>, key: string): boolean {
  if (ALWAYS.has(key) || names.has(key)) return true;
  // Choice elements (value[x]) appear as valueQuantity, valueString…
  for (const n of names) if (key.startsWith(n) && key.length > n.length && /[A-Z]/.test(key[n.length] ?? '')) return true;
  return false;
}

/**
 * _elements and _summary (https://hl7.org/fhir/R4/search.html#elements): a subset of top-level
 * elements, marked with the SUBSETTED tag so nobody mistakes it for the whole resource.
 */
export function projectElements(resource: FhirResource, elements: readonly string[] | undefined, summary: string | undefined): FhirResource | undefined {
  let names: ReadonlySet<string> | undefined;
  if (summary === 'true') names = summaryElements(resource.resourceType);
  else if (summary === 'text') names = new Set(['text']);
  else if (summary === 'data') {
    const { text: _text, ...rest } = resource;
    return withSubsetted(rest);
  } else if (elements) names = new Set(elements);
  if (!names) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) if (keeps(names, k)) out[k] = v;
  return withSubsetted(out as FhirResource);
}

function withSubsetted(resource: FhirResource): FhirResource {
  const meta = resource.meta ?? {};
  return { ...resource, meta: { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] } };
}
