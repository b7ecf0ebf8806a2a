/** Public surface of access control: the one policy and the helpers every non-FHIR route uses. */
export { AccessService, requirePrincipal, requireRole, CARE_TEAM_CACHE_MS } from './access-service.js';
export { accessRoutes, type AccessRouteOptions } from './access-routes.js';
export { CarelinePolicy } from './careline-policy.js';
export type { AccessFacts, CaregiverScope } from './access-facts.js';
export { BREAK_GLASS_CATEGORY, PRIVACY_OFFICER_ROLE } from './break-glass.js';
