/**
 * Every Careline error, in one place: its HTTP status, the FHIR issue type
 * (https://hl7.org/fhir/R4/valueset-issue-type.html) and the message a person reads.
 * Capabilities add their codes here rather than inventing statuses in routes.
 */
export const ERRORS = {
  'bad-request': { status: 400, issue: 'invalid', message: 'The request is not valid.' },
  'invalid-json': { status: 400, issue: 'structure', message: 'The request body is not valid JSON.' },
  'validation-failed': { status: 400, issue: 'invalid', message: 'The request does not match what this endpoint accepts.' },
  unauthorized: { status: 401, issue: 'login', message: 'Sign-in is required.' },
  forbidden: { status: 403, issue: 'forbidden', message: 'You are not allowed to do this.' },
  'not-found': { status: 404, issue: 'not-found', message: 'Nothing is here.' },
  'method-not-allowed': { status: 405, issue: 'not-supported', message: 'This method is not allowed here.' },
  'not-acceptable': { status: 406, issue: 'not-supported', message: 'This endpoint cannot answer in the requested format.' },
  conflict: { status: 409, issue: 'conflict', message: 'The request conflicts with the current state.' },
  gone: { status: 410, issue: 'deleted', message: 'This has been removed.' },
  'precondition-failed': { status: 412, issue: 'conflict', message: 'A precondition of the request was not met.' },
  'payload-too-large': { status: 413, issue: 'too-costly', message: 'The request body is too large.' },
  'unsupported-media-type': { status: 415, issue: 'not-supported', message: 'This content type is not supported here.' },
  'unprocessable': { status: 422, issue: 'business-rule', message: 'The request breaks a rule of this operation.' },
  'rate-limited': { status: 429, issue: 'throttled', message: 'Too many requests; try again later.' },
  internal: { status: 500, issue: 'exception', message: 'Something went wrong on our side. It has been logged.' },
  'database-unavailable': { status: 503, issue: 'transient', message: 'The database cannot be reached right now.' },
  'shutting-down': { status: 503, issue: 'transient', message: 'The server is restarting; try again in a moment.' },
} as const satisfies Record<string, { status: number; issue: string; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** Coding system for Careline's own error codes inside OperationOutcome.issue.details. */
export const ERROR_CODE_SYSTEM = 'https://careline.health/fhir/CodeSystem/error';
