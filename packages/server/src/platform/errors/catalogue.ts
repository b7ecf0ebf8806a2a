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
  // Identity (docs/API.md). One message for unknown email and wrong password (OWASP ASVS V2.2).
  'login-failed': { status: 401, issue: 'login', message: 'The email or password is not correct.' },
  'mfa-required': { status: 401, issue: 'login', message: 'A verification code from your authenticator app is required.' },
  'mfa-enrolment-required': { status: 401, issue: 'login', message: 'This account must set up an authenticator app before signing in.' },
  'mfa-failed': { status: 401, issue: 'login', message: 'The verification code is not valid or has already been used.' },
  'csrf-failed': { status: 403, issue: 'security', message: 'The request is missing its CSRF token or comes from another site.' },
  'link-invalid': { status: 400, issue: 'invalid', message: 'This link is invalid, has already been used or has expired.' },
  'password-rejected': { status: 422, issue: 'business-rule', message: 'This password is not allowed.' },
  'too-many-failed-logins': { status: 429, issue: 'throttled', message: 'Too many failed sign-ins for this account; try again later.' },
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
  // Video visits (issue #6, visits/).
  'slot-unavailable': { status: 409, issue: 'conflict', message: 'This time is no longer available; choose another.' },
  'booking-rule': { status: 422, issue: 'business-rule', message: 'This booking breaks a rule of the clinic.' },
  'join-link-not-open': { status: 409, issue: 'business-rule', message: 'This visit link is not open yet.' },
  'join-link-expired': { status: 410, issue: 'expired', message: 'This visit link has expired.' },
  'visit-cancelled': { status: 410, issue: 'deleted', message: 'This visit has been cancelled.' },
  'visit-ended': { status: 410, issue: 'expired', message: 'This visit has ended.' },
  'note-signed': { status: 409, issue: 'conflict', message: 'This note is signed and can no longer be changed; add an amendment instead.' },
  'visit-not-started': { status: 409, issue: 'business-rule', message: 'This visit has not started yet; its record opens when the patient is admitted.' },
  'visit-not-in-progress': { status: 409, issue: 'business-rule', message: 'Vitals can only be recorded while the visit is in progress.' },
  internal: { status: 500, issue: 'exception', message: 'Something went wrong on our side. It has been logged.' },
  'database-unavailable': { status: 503, issue: 'transient', message: 'The database cannot be reached right now.' },
  'shutting-down': { status: 503, issue: 'transient', message: 'The server is restarting; try again in a moment.' },
} as const satisfies Record<string, { status: number; issue: string; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** Coding system for Careline's own error codes inside OperationOutcome.issue.details. */
export const ERROR_CODE_SYSTEM = 'https://careline.health/fhir/CodeSystem/error';
