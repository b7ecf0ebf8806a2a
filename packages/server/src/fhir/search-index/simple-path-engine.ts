import { elementAt, isTypeOrSubtype, type ElementEntry } from '../definitions/element-index.js';
import { isJsonObject } from '../definitions/json-value.js';
import { referenceTargetType } from '../definitions/reference-grammar.js';
import { isR4ResourceType } from '../definitions/resource-types.js';
import type { CompiledExpression, FhirPathEngine, TypedNode } from './fhirpath-engine.js';

/**
 * A direct evaluator for the FHIRPath subset nearly all R4 search expressions use: a path from the
 * resource with `.ofType(T)`, `.where(resolve() is T)`, `.where(name='literal')` and `[n]`. It walks
 * the JSON with the element types of the R4 definitions, an order of magnitude faster than a general
 * engine. Anything else does not compile here, so the caller falls back to a full engine; tests check
 * that both give the same results for every R4 search parameter.
 */
interface Item {
  /** Where to look up children: a type name (`CodeableConcept`) or a backbone path (`Observation.component`). */
  readonly typePath: string;
  readonly type: string;
  readonly value: unknown;
}

type Step = (items: Item[]) => Item[];

const TOKENS: readonly (readonly [RegExp, (m: RegExpExecArray) => Step | null])[] = [
  [/\.ofType\(([A-Za-z]+)\)/y, (m) => ofType(m[1] ?? '')],
  [/\.where\(resolve\(\) is ([A-Za-z]+)\)/y, (m) => refersTo(m[1] ?? '')],
  [/\.where\(([a-z][A-Za-z0-9]*)\s*=\s*'([^'\\]*)'\)/y, (m) => whereEquals(m[1] ?? '', m[2] ?? '')],
  [/\.([a-z][A-Za-z0-9]*)/y, (m) => child(m[1] ?? '')],
  [/\[(\d+)\]/y, (m) => (items) => items.slice(Number(m[1]), Number(m[1]) + 1)],
  [/\)/y, () => null],
];

export const simplePathEngine: FhirPathEngine = {
  name: 'simple-path',
  compile(expression: string): CompiledExpression {
    const opening = /^\(*/.exec(expression)?.[0].length ?? 0;
    const root = /^[A-Z][A-Za-z]*/.exec(expression.slice(opening))?.[0];
    if (root === undefined || !isR4ResourceType(root)) throw new Error(`not a simple path: ${expression}`);
    const steps: Step[] = [];
    let closing = 0;
    for (let at = opening + root.length; at < expression.length; ) {
      const token = TOKENS.map(([re, make]) => {
        re.lastIndex = at;
        const m = re.exec(expression);
        return m ? { m, make } : null;
      }).find((t) => t !== null);
      if (!token) throw new Error(`not a simple path: ${expression}`);
      const step = token.make(token.m);
      if (step) steps.push(step);
      else closing++;
      at += token.m[0].length;
    }
    if (closing !== opening) throw new Error(`unbalanced parentheses: ${expression}`);
    return (resource) => {
      let items: Item[] = [{ typePath: root, type: root, value: resource }];
      for (const step of steps) {
        items = step(items);
        if (items.length === 0) return [];
      }
      return items.map((i): TypedNode => ({ type: i.type, value: i.value }));
    };
  },
};

function child(name: string): Step {
  // The element definition per parent type, looked up once instead of on every evaluation.
  const elements = new Map<string, ElementEntry | undefined>();
  const lookup = (typePath: string): ElementEntry | undefined => {
    if (!elements.has(typePath)) elements.set(typePath, elementAt(`${typePath}.${name}`));
    return elements.get(typePath);
  };
  return (items) => {
    const out: Item[] = [];
    for (const item of items) {
      if (!isJsonObject(item.value)) continue;
      const element = lookup(item.typePath);
      if (!element) continue;
      for (const { code, key } of element.types) {
        const value = item.value[key];
        if (value === undefined || value === null) continue;
        for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
          if (v === null || v === undefined) continue;
          // A contained or entry resource is typed by its own resourceType.
          const type = code === 'Resource' && isJsonObject(v) && typeof v.resourceType === 'string' ? v.resourceType : code;
          out.push({ typePath: element.childPath ?? type, type, value: v });
        }
      }
    }
    return out;
  };
}

function ofType(type: string): Step {
  return (items) => items.filter((i) => isTypeOrSubtype(i.type, type));
}

/** `resolve() is T` needs only the target's type, which the reference text or Reference.type gives. */
function refersTo(type: string): Step {
  return (items) => items.filter((i) => isJsonObject(i.value) && referenceTargetType(i.value.reference, i.value.type) === type);
}

function whereEquals(name: string, literal: string): Step {
  return (items) => items.filter((i) => isJsonObject(i.value) && i.value[name] === literal);
}

/** The simple evaluator where it applies, else `fallback` (a complete FHIRPath engine). */
export function withFallback(fast: FhirPathEngine, fallback: FhirPathEngine): FhirPathEngine {
  return {
    name: `${fast.name}+${fallback.name}`,
    compile(expression) {
      try {
        return fast.compile(expression);
      } catch {
        return fallback.compile(expression);
      }
    },
  };
}
