import { choiceSuffix } from '../definitions/element-keys.js';
import { r4StructureDefinitions, type ElementSummary, type StructureSummary } from '../definitions/structure-definitions.js';
import { isPrimitiveType } from './primitive-types.js';
import { expandRequiredValueSets } from './required-codes.js';

/** What the validator knows of one element of a type or resource, from its R4 snapshot. */
export interface ElementRule {
  readonly name: string;
  readonly min: number;
  /** Infinity for '*'. Elements with max > 1 are JSON arrays (https://hl7.org/fhir/R4/json.html#arrays). */
  readonly max: number;
  readonly choice: boolean;
  /** Union of the Reference/canonical target resource types ('Resource' means any). */
  readonly targets: readonly string[];
  /** The codes a required binding allows, when they can be enumerated. */
  readonly codes: ReadonlySet<string> | null;
  /** Children defined inline (BackboneElement) or by contentReference; null for named types. */
  readonly inline: TypeRule | null;
}

/** How a JSON key maps onto an element: `valueQuantity` → value[x] as Quantity; `_status` → status's extensions. */
export interface KeyRule {
  readonly element: ElementRule;
  /** The element's type; for a `_name` key, the type of the primitive it extends. */
  readonly type: string;
  readonly primitive: boolean;
  /** `_name`: the id/extensions of a primitive (https://hl7.org/fhir/R4/json.html#primitive). */
  readonly extension: boolean;
}

export interface TypeRule {
  readonly name: string;
  readonly elements: readonly ElementRule[];
  readonly keys: ReadonlyMap<string, KeyRule>;
  /** Elements with min ≥ 1, each with every key that can carry it (value or `_name`). */
  readonly required: readonly ElementKeys[];
  /** Choice elements, each with its value keys (`valueQuantity`, `valueString`…). */
  readonly choices: readonly ElementKeys[];
}

export interface ElementKeys {
  readonly element: ElementRule;
  readonly keys: readonly string[];
}

interface MutableElementRule extends ElementRule {
  inline: TypeRule | null;
  codes: ReadonlySet<string> | null;
}

interface Pending {
  readonly rule: MutableElementRule;
  readonly contentReference: string | null;
  readonly valueSet: string | null;
}

let model: ReadonlyMap<string, TypeRule> | undefined;

/** Rules for every R4 complex datatype and resource, by name. Built once per process. */
export function typeRules(): ReadonlyMap<string, TypeRule> {
  model ??= buildModel();
  return model;
}

function buildModel(): Map<string, TypeRule> {
  const rules = new Map<string, TypeRule>();
  const pending: Pending[] = [];
  const byPath = new Map<string, TypeRule>();
  for (const sd of r4StructureDefinitions()) {
    if (!isBaseDefinition(sd)) continue;
    rules.set(sd.type, buildType(sd, byPath, pending));
  }
  const valueSets = expandRequiredValueSets(new Set(pending.flatMap((p) => (p.valueSet ? [p.valueSet] : []))));
  for (const p of pending) {
    if (p.contentReference) p.rule.inline = byPath.get(p.contentReference.slice(1)) ?? null;
    if (p.valueSet) p.rule.codes = valueSets.get(p.valueSet) ?? null;
  }
  return rules;
}

function isBaseDefinition(sd: StructureSummary): boolean {
  // Abstract Element is kept: it is the shape of a primitive's `_name` companion.
  return (sd.kind === 'complex-type' || sd.kind === 'resource') && sd.derivation !== 'constraint' && sd.elements.length > 0;
}

/** Builds the rule of the root path and of every backbone path beneath it, from a snapshot. */
function buildType(sd: StructureSummary, byPath: Map<string, TypeRule>, pending: Pending[]): TypeRule {
  const children = new Map<string, ElementSummary[]>();
  for (const el of sd.elements) {
    const parent = el.path.slice(0, Math.max(0, el.path.lastIndexOf('.')));
    if (parent === '') continue;
    const list = children.get(parent) ?? [];
    list.push(el);
    children.set(parent, list);
  }
  const build = (path: string): TypeRule => {
    const elements: MutableElementRule[] = [];
    const keys = new Map<string, KeyRule>();
    for (const el of children.get(path) ?? []) {
      const rule = elementRule(sd, el, children.has(el.path) ? build(el.path) : null);
      elements.push(rule);
      addKeys(keys, rule, typesOf(sd, el));
      const valueSet = el.binding?.strength === 'required' && el.types.some((t) => t.code === 'code') ? el.binding.valueSet : null;
      if (el.contentReference || valueSet) pending.push({ rule, contentReference: el.contentReference, valueSet });
    }
    const keysOf = (element: ElementRule, values: boolean): string[] =>
      [...keys].filter(([, k]) => k.element === element && (!values || !k.extension)).map(([key]) => key);
    const required = elements.filter((e) => e.min > 0).map((element) => ({ element, keys: keysOf(element, false) }));
    const choices = elements.filter((e) => e.choice).map((element) => ({ element, keys: keysOf(element, true) }));
    const rule: TypeRule = { name: path, elements, keys, required, choices };
    byPath.set(path, rule);
    return rule;
  };
  return build(sd.type);
}

function elementRule(sd: StructureSummary, el: ElementSummary, inline: TypeRule | null): MutableElementRule {
  const last = el.path.slice(el.path.lastIndexOf('.') + 1);
  const choice = last.endsWith('[x]');
  return {
    name: choice ? last.slice(0, -3) : last,
    min: el.min,
    max: el.max === '*' ? Infinity : Number(el.max),
    choice,
    targets: [...new Set(el.types.flatMap((t) => t.targets))],
    codes: null,
    inline,
  };
}

/** R4 snapshots type Resource.id as System.String; the resource id is an `id` (https://hl7.org/fhir/R4/resource.html#id). */
function typesOf(sd: StructureSummary, el: ElementSummary): string[] {
  if (sd.kind === 'resource' && el.path === `${sd.type}.id`) return ['id'];
  if (el.contentReference) return ['BackboneElement'];
  return el.types.map((t) => t.code);
}

function addKeys(keys: Map<string, KeyRule>, element: ElementRule, types: readonly string[]): void {
  for (const type of types) {
    const key = element.choice ? element.name + choiceSuffix(type) : element.name;
    const primitive = isPrimitiveType(type);
    keys.set(key, { element, type, primitive, extension: false });
    if (primitive) keys.set(`_${key}`, { element, type, primitive: false, extension: true });
  }
}
