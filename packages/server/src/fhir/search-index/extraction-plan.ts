import { jsonKeysOf } from '../definitions/element-keys.js';
import { searchParametersFor, type SearchParamType } from '../definitions/search-parameters.js';
import { branchRoot, splitUnion } from '../definitions/split-expression.js';
import type { CompiledExpression, FhirPathEngine } from './fhirpath-engine.js';

export type IndexedParamType = Exclude<SearchParamType, 'composite' | 'special'>;

/** One branch of a parameter's expression, compiled, with the JSON keys it needs to find anything. */
export interface PlannedBranch {
  readonly param: string;
  readonly type: IndexedParamType;
  readonly evaluate: CompiledExpression;
  /** The branch is empty unless one of these top-level keys is present; null when that cannot be told. */
  readonly keys: readonly string[] | null;
}

export type SkipReason = 'composite' | 'special' | 'no-expression' | 'does-not-compile';

export interface SkippedParameter {
  readonly resourceType: string;
  readonly code: string;
  readonly type: SearchParamType;
  readonly reason: SkipReason;
}

export interface ExtractionPlan {
  readonly branches: readonly PlannedBranch[];
  readonly skipped: readonly SkippedParameter[];
}

const plans = new WeakMap<FhirPathEngine, Map<string, ExtractionPlan>>();

/** The compiled extraction steps for a resource type, built on first use and kept for the process. */
export function extractionPlan(engine: FhirPathEngine, resourceType: string): ExtractionPlan {
  let byType = plans.get(engine);
  if (!byType) {
    byType = new Map();
    plans.set(engine, byType);
  }
  let plan = byType.get(resourceType);
  if (!plan) {
    plan = buildPlan(engine, resourceType);
    byType.set(resourceType, plan);
  }
  return plan;
}

function buildPlan(engine: FhirPathEngine, resourceType: string): ExtractionPlan {
  const branches: PlannedBranch[] = [];
  const skipped: SkippedParameter[] = [];
  for (const sp of searchParametersFor(resourceType).values()) {
    const skip = (reason: SkipReason): void => void skipped.push({ resourceType, code: sp.code, type: sp.type, reason });
    if (sp.type === 'composite' || sp.type === 'special') {
      skip(sp.type);
      continue;
    }
    if (sp.expression === null) {
      skip('no-expression');
      continue;
    }
    const type: IndexedParamType = sp.type;
    try {
      // Each branch is compiled alone so a branch whose element is absent costs one key lookup.
      const compiled = splitUnion(sp.expression).map((branch) => ({
        param: sp.code,
        type,
        evaluate: engine.compile(branch),
        keys: guardKeys(branch, resourceType),
      }));
      branches.push(...compiled);
    } catch {
      skip('does-not-compile');
    }
  }
  return { branches, skipped };
}

// A path from the resource: Type.a.b[0], with parentheses; where(…) and ofType(…) removed first.
const PURE_PATH = /^[()]*[A-Z][A-Za-z]*(?:\.[a-z][A-Za-z0-9]*(?:\[\d+\])?|\))*$/;

/**
 * The top-level keys a branch reads. Only for pure paths: navigation, where() and ofType() over
 * an absent element give an empty result, while exists(), empty(), `and`… may not.
 */
function guardKeys(branch: string, resourceType: string): readonly string[] | null {
  if (branchRoot(branch) !== resourceType) return null;
  const path = withoutFilters(branch);
  if (path === null || !PURE_PATH.test(path)) return null;
  const element = /^[()]*[A-Za-z]+\.([a-z][A-Za-z0-9]*)/.exec(path)?.[1];
  return element === undefined ? null : jsonKeysOf(resourceType, element);
}

function withoutFilters(branch: string): string | null {
  let out = branch;
  for (;;) {
    const at = out.search(/\.(where|ofType)\(/);
    if (at < 0) return out;
    const close = matchingParen(out, out.indexOf('(', at));
    if (close < 0) return null;
    out = out.slice(0, at) + out.slice(close + 1);
  }
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
