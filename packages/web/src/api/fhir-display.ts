import type { TFhirResource } from './fhir-api';

/** Small, defensive readers of FHIR fields the homes show; they never throw on odd data. */
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function text(resource: TFhirResource, ...paths: string[][]): string | undefined {
  for (const path of paths) {
    let v: unknown = resource;
    for (const key of path) {
      if (Array.isArray(v)) v = v[0] as unknown;
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    }
    const s = str(v);
    if (s) return s;
  }
  return undefined;
}

/** "Given Family" of a Patient or Practitioner. */
export function humanName(resource: TFhirResource): string | undefined {
  const name = (resource as { name?: { text?: string; given?: string[]; family?: string }[] }).name?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.given ?? []), name.family ?? ''].join(' ').trim();
}

/** valueQuantity of an Observation, when it has a numeric one. */
export function quantity(resource: TFhirResource): { value: number; unit: string | undefined } | undefined {
  const q = (resource as { valueQuantity?: { value?: unknown; unit?: unknown } }).valueQuantity;
  return typeof q?.value === 'number' ? { value: q.value, unit: typeof q.unit === 'string' ? q.unit : undefined } : undefined;
}
