import { r4ResourceTypes } from '../definitions/resource-types.js';
import { checkResource } from './check-resource.js';
import { typeRules } from './type-model.js';
import { IssueList, type ValidationIssue } from './validation-issue.js';

export type { ValidationIssue } from './validation-issue.js';

/** A resource that passed validation: JSON with an R4 resourceType. */
export interface ValidResource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

export type ValidationResult = { readonly ok: true; readonly resource: ValidResource } | { readonly ok: false; readonly issues: ValidationIssue[] };

export interface ValidateOptions {
  /** Largest accepted resource, as UTF-8 JSON. */
  readonly maxBytes?: number;
  /** Size of the JSON text the input was parsed from, when the caller has it: saves re-serialising. */
  readonly jsonBytes?: number;
}

/** 1 MiB: a device reading is about 1 kB; anything near this is a document or an attack. */
export const DEFAULT_MAX_RESOURCE_BYTES = 1024 * 1024;

/**
 * Validates a resource against the R4 base definitions: structure and unknown elements,
 * cardinality, primitive formats, required code bindings, reference shape and target types,
 * narrative safety. FHIRPath invariants and profiles are not checked. Never throws.
 */
export function validateResource(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESOURCE_BYTES;
  const issues = new IssueList();
  const size = options.jsonBytes ?? jsonSize(input);
  if (size === null) {
    issues.add(null, 'the body is not JSON data');
    return { ok: false, issues: issues.issues };
  }
  if (size > maxBytes) {
    issues.add(null, `the resource is ${size} bytes as JSON; at most ${maxBytes} are accepted`);
    return { ok: false, issues: issues.issues };
  }
  checkResource(input, null, issues, 0);
  return issues.issues.length === 0 ? { ok: true, resource: input as ValidResource } : { ok: false, issues: issues.issues };
}

/** Loads the definitions now (about a second) rather than on the first request. */
export function warmUpValidator(): void {
  r4ResourceTypes();
  typeRules();
}

function jsonSize(input: unknown): number | null {
  try {
    const json = JSON.stringify(input) as string | undefined;
    return json === undefined ? null : Buffer.byteLength(json, 'utf8');
  } catch {
    return null;
  }
}
