/** Public surface of the identity capability (authentication, sessions, accounts). */
export { Authenticator, SESSION_COOKIE, CSRF_HEADER, WS_BEARER_PROTOCOL, type BearerResolver } from './http/authenticate.js';
export { identityCapability, type IdentityCapabilityOptions } from './identity-capability.js';
export { requireUser } from './http/require.js';
export { originAllowed } from './http/origin.js';
export { WS_CLOSE_UNAUTHORIZED } from './http/socket-registry.js';
export * from './principal.js';
export { personalTopics, practitionerAlertsTopic } from './http/topic-policy.js';
export { emailsOfFhirUsers } from './use-cases/contacts.js';
