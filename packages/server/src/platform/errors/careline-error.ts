import type { TOperationOutcome, TOperationOutcomeIssue } from '@careline/contracts';
import { ERRORS, ERROR_CODE_SYSTEM, type ErrorCode } from './catalogue.js';

export interface ErrorDetail {
  /** What is wrong, for a person; never contains health data. */
  readonly diagnostics?: string;
  /** FHIRPath-style locations of the problem (e.g. `Patient.birthDate`, `query._count`). */
  readonly expression?: readonly string[];
}

/** Throw this from anywhere; the error handler turns it into an OperationOutcome response. */
export class CarelineError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    readonly code: ErrorCode,
    readonly details: readonly ErrorDetail[] = [],
    headers: Record<string, string> = {},
  ) {
    super(details[0]?.diagnostics ?? ERRORS[code].message);
    this.name = 'CarelineError';
    this.status = ERRORS[code].status;
    this.headers = headers;
  }

  toOperationOutcome(): TOperationOutcome {
    return operationOutcome(this.code, this.details);
  }
}

export function operationOutcome(code: ErrorCode, details: readonly ErrorDetail[] = []): TOperationOutcome {
  const entry = ERRORS[code];
  const coding = { coding: [{ system: ERROR_CODE_SYSTEM, code, display: entry.message }], text: entry.message };
  const list = details.length > 0 ? details : [{}];
  const issue: TOperationOutcomeIssue[] = list.map((d) => ({
    severity: entry.status >= 500 ? 'fatal' : 'error',
    code: entry.issue,
    details: coding,
    diagnostics: d.diagnostics ?? entry.message,
    ...(d.expression && d.expression.length > 0 ? { expression: [...d.expression] } : {}),
  }));
  return { resourceType: 'OperationOutcome', issue };
}
