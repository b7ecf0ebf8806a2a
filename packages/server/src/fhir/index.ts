/** Public surface of the FHIR capability: the store (the one door) and its access contract. */
export { FhirStore, FHIR_CHANGE_TOPIC, type FhirChange } from './store/fhir-store.js';
export { ORGANIZATION_TAG_SYSTEM, auditAgent, denyAllPolicy, onBehalfOf, permissivePolicy, systemContext, type AccessContext, type AccessPolicy, type SearchScope } from './access/access-policy.js';
export type { FhirResource, VersionedResource } from './store/resource-types.js';
export { fhirRoutes, type FhirRouteOptions } from './rest/routes.js';
export { processBundle } from './store/process-bundle.js';
export { parseQuery } from './store/find-matches.js';
