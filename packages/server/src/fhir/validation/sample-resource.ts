import { typeRules, type ElementRule, type KeyRule, type TypeRule } from './type-model.js';

/**
 * Builds a valid instance of any R4 resource type from its definition, filling every element down
 * to a depth (and required ones further), with choice types rotated by `seed`. For tests: the
 * validator must accept it, and the search-index engines must agree on it.
 */
const SAMPLES: Readonly<Record<string, unknown>> = {
  boolean: true,
  integer: -3,
  positiveInt: 2,
  unsignedInt: 0,
  decimal: 1.5,
  string: 'Sämple Text',
  markdown: '*Sample*',
  code: 'abc',
  id: 'id-1',
  uri: 'http://example.org/x',
  url: 'https://example.org/y',
  canonical: 'http://example.org/fhir/Questionnaire/q1|1.0',
  oid: 'urn:oid:1.2.3',
  uuid: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a',
  base64Binary: 'aGVsbG8=',
  date: '2024-02',
  dateTime: '2024-05-01T10:00:00+02:00',
  instant: '2024-05-01T10:00:00.123Z',
  time: '10:00:00',
  xhtml: '<div xmlns="http://www.w3.org/1999/xhtml">Sample</div>',
};

const SKIPPED = new Set(['extension', 'modifierExtension', 'contained']);
const MAX_OPTIONAL_DEPTH = 3;
const MAX_DEPTH = 8;

export function sampleResource(resourceType: string, seed = 0): Record<string, unknown> {
  const rule = typeRules().get(resourceType);
  if (!rule) throw new Error(`no definition for ${resourceType}`);
  return { resourceType, ...sampleObject(rule, seed, 0) };
}

function sampleObject(rule: TypeRule, seed: number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const element of rule.elements) {
    if (SKIPPED.has(element.name) || element.max === 0) continue;
    if (element.min === 0 && (depth >= MAX_OPTIONAL_DEPTH || (seed + depth + element.name.length) % 5 === 0)) continue;
    if (depth >= MAX_DEPTH) continue;
    const keyRule = pickKey(rule, element, seed);
    if (!keyRule) continue;
    const value = sampleValue(keyRule, seed, depth);
    if (value === undefined) continue;
    const key = element.choice ? [...rule.keys].find(([, k]) => k === keyRule)?.[0] : element.name;
    if (key) out[key] = element.max > 1 ? [value] : value;
  }
  // Past the depth limit a required CodeableConcept or backbone still needs some content (ele-1).
  if (Object.keys(out).length === 0 && depth > 0) {
    const candidates = [...rule.keys].filter(([key, k]) => !k.extension && key !== 'id' && !SKIPPED.has(k.element.name));
    const filler = candidates.find(([, k]) => k.primitive) ?? candidates[0];
    const value = filler && depth < MAX_DEPTH ? sampleValue(filler[1], seed, depth) : undefined;
    if (filler && value !== undefined) out[filler[0]] = filler[1].element.max > 1 ? [value] : value;
  }
  return out;
}

function pickKey(rule: TypeRule, element: ElementRule, seed: number): KeyRule | undefined {
  const options = [...rule.keys.values()].filter((k) => k.element === element && !k.extension);
  return options[seed % Math.max(1, options.length)];
}

function sampleValue(keyRule: KeyRule, seed: number, depth: number): unknown {
  const { element, type } = keyRule;
  if (keyRule.primitive) return element.codes ? [...element.codes][seed % element.codes.size] : SAMPLES[type];
  if (type === 'Resource') return { resourceType: 'Basic', id: `b${seed}`, code: { text: 'contained' } };
  if (type === 'Reference') {
    const target = element.targets.find((t) => t !== 'Resource') ?? 'Patient';
    return seed % 3 === 2 ? { type: target, identifier: { system: 'urn:sys', value: `v${seed}` } } : { reference: `${target}/r${seed}`, display: 'Référence' };
  }
  const rule = element.inline ?? typeRules().get(type);
  if (!rule) return undefined;
  const value = sampleObject(rule, seed, depth + 1);
  return Object.keys(value).length > 0 ? value : undefined;
}
