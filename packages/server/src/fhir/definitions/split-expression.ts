/**
 * R4 SearchParameter expressions are often shared by several resource types as a FHIRPath union,
 * e.g. `Patient.name | Practitioner.name` (https://hl7.org/fhir/R4/searchparameter-registry.html).
 * These helpers cut out the branches that apply to one type.
 */

/** Splits at `|` operators that are outside parentheses and string literals. */
export function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** The type a branch starts from: `(Observation.value.ofType(Quantity))` → `Observation`. */
export function branchRoot(branch: string): string | null {
  return /^\(*([A-Z][A-Za-z]*)(?:\.|\)|$)/.exec(branch)?.[1] ?? null;
}

/**
 * The branches of `expression` that apply to `resourceType`, joined again as a union. Branches on
 * Resource or DomainResource (the common parameters such as _id) are rewritten to start at the
 * concrete type. Returns null when no branch applies.
 */
export function expressionForType(expression: string, resourceType: string, bases: readonly string[]): string | null {
  const kept: string[] = [];
  for (const branch of splitUnion(expression)) {
    const root = branchRoot(branch);
    if (root === resourceType) kept.push(branch);
    else if (root === 'Resource' || root === 'DomainResource') kept.push(rebase(branch, root, resourceType));
  }
  if (kept.length > 0) return kept.join(' | ');
  // A few R4 definitions omit the type prefix (InsurancePlan-name is `name | alias`); with a single
  // base the expression is already relative to that type.
  if (bases.length === 1 && bases[0] === resourceType) return expression;
  return null;
}

function rebase(branch: string, from: string, to: string): string {
  const at = branch.indexOf(from);
  return branch.slice(0, at) + to + branch.slice(at + from.length);
}
