import { createRequire } from 'node:module';
import type FhirPathModule from 'fhirpath';
import type R4Model from 'fhirpath/fhir-context/r4';
import { isJsonObject } from '../definitions/json-value.js';
import { referenceTargetType } from '../definitions/reference-grammar.js';
import { fhirTypeCode, typeOfBareValue, type CompiledExpression, type FhirPathEngine, type TypedNode } from './fhirpath-engine.js';

/**
 * fhirpath.js (the HL7-listed reference implementation) with its R4 model, which types every node
 * (`fhirNodeDataType`) and understands choice elements (`Observation.value`).
 *
 * R4 search expressions use `resolve()` only as `where(resolve() is Patient)`. fhirpath.js resolves
 * references asynchronously over HTTP, which indexing must not do; the type is all those filters
 * need and the reference text (or Reference.type) carries it, so they are rewritten to a
 * synchronous `refersTo('Patient')`.
 */
const RESOLVE_IS = /resolve\(\)\s+is\s+([A-Za-z]+)/g;

function refersTo(focus: readonly unknown[], type: string): boolean {
  return focus.some((r) => isJsonObject(r) && referenceTargetType(r.reference, r.type) === type);
}

const OPTIONS = {
  resolveInternalTypes: false,
  userInvocationTable: { refersTo: { fn: refersTo, arity: { 1: ['String' as const] } } },
};

interface ResourceNodeShape {
  readonly data: unknown;
  readonly fhirNodeDataType: unknown;
}

function isResourceNode(value: unknown): value is ResourceNodeShape {
  return typeof value === 'object' && value !== null && 'fhirNodeDataType' in value && 'data' in value;
}

function toTypedNodes(results: readonly unknown[]): TypedNode[] {
  const out: TypedNode[] = [];
  for (const item of results) {
    if (isResourceNode(item)) {
      const declared = typeof item.fhirNodeDataType === 'string' ? fhirTypeCode(item.fhirNodeDataType) : typeOfBareValue(item.data);
      if (declared !== null && item.data !== null && item.data !== undefined) out.push({ type: declared, value: item.data });
    } else {
      const type = typeOfBareValue(item);
      if (type !== null) out.push({ type, value: item });
    }
  }
  return out;
}

// Loaded on first use: only a handful of R4 expressions need it (the JSON walker does the rest), and
// loading fhirpath.js with its date library costs about 150 ms of every server start.
let loaded: { fhirpath: typeof FhirPathModule; r4Model: typeof R4Model } | undefined;
function engine(): { fhirpath: typeof FhirPathModule; r4Model: typeof R4Model } {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = { fhirpath: require('fhirpath') as typeof FhirPathModule, r4Model: require('fhirpath/fhir-context/r4') as typeof R4Model };
  }
  return loaded;
}

export const fhirpathJsEngine: FhirPathEngine = {
  name: 'fhirpath.js',
  compile(expression: string): CompiledExpression {
    const { fhirpath, r4Model } = engine();
    const evaluate = fhirpath.compile(expression.replace(RESOLVE_IS, "refersTo('$1')"), r4Model, OPTIONS);
    return (resource) => {
      const results: unknown = evaluate(resource);
      return Array.isArray(results) ? toTypedNodes(results) : [];
    };
  },
};
