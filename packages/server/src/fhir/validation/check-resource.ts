import { isJsonObject, type JsonObject } from '../definitions/json-value.js';
import { parseReference } from '../definitions/reference-grammar.js';
import { isR4ResourceType } from '../definitions/resource-types.js';
import { checkNarrativeDiv } from './check-narrative.js';
import { checkPrimitive } from './primitive-types.js';
import { typeRules, type KeyRule, type TypeRule } from './type-model.js';
import type { IssueList } from './validation-issue.js';

/** Deeper than any real resource; stops a hostile body from exhausting the stack. */
const MAX_DEPTH = 64;

/** Checks a resource (top level, contained, or in a Bundle entry) against its R4 definition. */
export function checkResource(value: unknown, location: string | null, issues: IssueList, depth: number): void {
  if (!isJsonObject(value)) {
    issues.add(location, 'expected a resource: a JSON object with a resourceType');
    return;
  }
  const type = value.resourceType;
  const rule = typeof type === 'string' && isR4ResourceType(type) ? typeRules().get(type) : undefined;
  if (!rule) {
    issues.add(location === null ? 'resourceType' : `${location}.resourceType`, 'resourceType must name an R4 resource type');
    return;
  }
  checkObject(value, rule, location ?? rule.name, issues, depth, true);
}

function checkObject(obj: JsonObject, rule: TypeRule, path: string, issues: IssueList, depth: number, isResource: boolean): void {
  if (depth > MAX_DEPTH) {
    issues.add(path, 'nested too deeply');
    return;
  }
  let count = 0;
  for (const key of Object.keys(obj)) {
    if (issues.full) return;
    if (isResource && key === 'resourceType') continue;
    // Only JSON.parse output is expected; a key holding undefined is as good as absent.
    if (obj[key] === undefined) continue;
    count++;
    const keyRule = rule.keys.get(key);
    if (keyRule) checkValue(obj, key, keyRule, path, issues, depth);
    else issues.add(`${path}.${key}`, `unknown element "${key}"`);
  }
  // ele-1: every element has a value, children or extensions (https://hl7.org/fhir/R4/element.html#invs).
  if (count === 0 && !isResource) issues.add(path, 'empty objects are not allowed');
  for (const { element, keys } of rule.required) {
    if (!keys.some((k) => obj[k] !== undefined)) issues.add(`${path}.${element.name}`, 'missing required element');
  }
  // https://hl7.org/fhir/R4/formats.html#choice: only one type of a choice element may be present.
  for (const { element, keys } of rule.choices) {
    const found = keys.filter((k) => obj[k] !== undefined);
    if (found.length > 1) issues.add(`${path}.${element.name}`, `${element.name}[x] has more than one type (${found.join(', ')})`);
  }
}

function locationOf(path: string, keyRule: KeyRule): string {
  const { element } = keyRule;
  return element.choice ? `${path}.${element.name}.ofType(${keyRule.type})` : `${path}.${element.name}`;
}

/** Cardinality in JSON: max > 1 is always an array, never empty; otherwise never an array (https://hl7.org/fhir/R4/json.html). */
function checkValue(obj: JsonObject, key: string, keyRule: KeyRule, path: string, issues: IssueList, depth: number): void {
  const value = obj[key];
  const location = locationOf(path, keyRule);
  const { element } = keyRule;
  if (element.max <= 1) {
    if (Array.isArray(value)) issues.add(location, 'expected a single value, not an array');
    else if (value === null) issues.add(location, 'null is not allowed');
    else checkSingle(value, keyRule, location, issues, depth);
    return;
  }
  if (!Array.isArray(value)) {
    issues.add(location, 'expected a JSON array: this element repeats');
    return;
  }
  if (value.length === 0) issues.add(location, 'empty arrays are not allowed');
  if (value.length > element.max) issues.add(location, `at most ${element.max} values are allowed`);
  // In a repeating primitive, null holds a place whose value is only in the `_name` array and vice versa.
  const partner = obj[key.startsWith('_') ? key.slice(1) : `_${key}`];
  (value as readonly unknown[]).forEach((item, i) => {
    if (issues.full) return;
    if (item !== null) checkSingle(item, keyRule, `${location}[${i}]`, issues, depth);
    else if (!Array.isArray(partner) || partner[i] === null || partner[i] === undefined) issues.add(`${location}[${i}]`, 'null is not allowed here');
  });
}

function checkSingle(value: unknown, keyRule: KeyRule, location: string, issues: IssueList, depth: number): void {
  const { element, type } = keyRule;
  if (keyRule.primitive) {
    const problem = type === 'xhtml' ? checkNarrativeDiv(value) : checkPrimitive(type, value);
    if (problem) issues.add(location, problem);
    else if (element.codes && typeof value === 'string' && !element.codes.has(value)) issues.add(location, notInValueSet(element.codes));
    return;
  }
  if (type === 'Resource' && !keyRule.extension) {
    checkResource(value, location, issues, depth + 1);
    return;
  }
  if (!isJsonObject(value)) {
    issues.add(location, `expected a JSON object (${keyRule.extension ? 'the id and extensions of a primitive' : type})`);
    return;
  }
  const rule = keyRule.extension ? typeRules().get('Element') : (element.inline ?? typeRules().get(type));
  if (!rule) return;
  checkObject(value, rule, location, issues, depth + 1, false);
  if (type === 'Reference') checkReference(value, element.targets, location, issues);
}

/** https://hl7.org/fhir/R4/references.html#literal, and the target types the element allows. */
function checkReference(value: JsonObject, targets: readonly string[], location: string, issues: IssueList): void {
  if (typeof value.reference !== 'string') return;
  const parsed = parseReference(value.reference);
  if (!parsed) {
    issues.add(`${location}.reference`, 'expected Type/id, an absolute URL, #id of a contained resource, or urn:uuid:/urn:oid:');
  } else if (parsed.form === 'relative' && targets.length > 0 && !targets.includes('Resource') && !targets.includes(parsed.targetType ?? '')) {
    issues.add(`${location}.reference`, `may refer only to ${targets.join(', ')}`);
  }
}

function notInValueSet(codes: ReadonlySet<string>): string {
  const list = [...codes];
  const shown = list.length <= 12 ? list.join(', ') : `${list.slice(0, 12).join(', ')}…`;
  return `not a code of the required value set (${shown})`;
}
