import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FhirStore, fhirRoutes, type AccessContext } from './fhir/index.js';
import { defineStatisticsJob } from './fhir/storage/statistics-job.js';
import { SubscriptionManager } from './fhir/subscriptions/subscription-manager.js';
import { auditLocalRoutes } from './audit/local-routes.js';
import { auditRoutes } from './audit/routes.js';
import { healthRoutes } from './health/routes.js';
import { AccessService, accessRoutes } from './identity/access/index.js';
import { emailsOfFhirUsers, identityCapability, type Authenticator } from './identity/index.js';
import { monitoringCapability } from './monitoring/monitoring-capability.js';
import { visitsCapability } from './visits/visits-capability.js';
import type { IdentityContext } from './identity/identity-context.js';
import { demoRoutes } from './demo/demo-routes.js';
import { localAdminRoutes } from './operations/local-admin-routes.js';
import { CarelineError } from './platform/errors/careline-error.js';
import type { Platform } from './platform/platform.js';
import { webAppRoutes } from './web-app/routes.js';

/**
 * The one list of capabilities. Each is an encapsulated Fastify plugin given the platform services;
 * what one capability registers is invisible to its siblings.
 */
export interface CapabilityWiring {
  /** The authentication hook; capabilities with credentials of their own (devices) register resolvers. */
  readonly authenticator: Authenticator;
  readonly localAdminToken: string | undefined;
  /** Who is calling the FHIR API (a test override); by default the access policy of request.principal. */
  readonly fhirAccess: ((request: FastifyRequest) => AccessContext | Promise<AccessContext>) | undefined;
}

export async function registerCapabilities(app: FastifyInstance, platform: Platform, wiring: CapabilityWiring): Promise<FhirStore> {
  const serverBase = platform.config.publicUrl ? `${platform.config.publicUrl.replace(/\/+$/, '')}/fhir/R4` : undefined;
  const store = new FhirStore(platform.db, platform.bus, platform.audit, (err) => platform.log.warn({ reason: err.message }, 'change feed publish failed'), serverBase);
  new SubscriptionManager(platform, store, platform.config.subscriptionAllowedHosts).install();
  defineStatisticsJob(platform);
  await app.register(healthRoutes, { platform });
  await app.register(webAppRoutes);
  let identity: IdentityContext | undefined;
  await app.register(identityCapability, { platform, store, localAdminToken: wiring.localAdminToken, onContext: (ctx) => (identity = ctx) });
  const identityContext = (): IdentityContext => {
    if (!identity) throw new Error('the identity capability has not started');
    return identity;
  };
  await app.register(demoRoutes, { identity: identityContext, localAdminToken: wiring.localAdminToken });
  await app.register(localAdminRoutes, { platform, token: wiring.localAdminToken, prefix: '/admin/local' });
  await app.register(auditLocalRoutes, { platform, token: wiring.localAdminToken, prefix: '/admin/local' });
  await app.register(auditRoutes, { platform });
  const access = new AccessService(platform.db, store, { insecureOpen: platform.config.insecureOpenFhir });
  await app.register(accessRoutes, { platform, store, breakGlassHours: platform.config.breakGlassHours, prefix: '/api/access' });
  // An anonymous FHIR call is answered 401 with a Bearer challenge (RFC 6750 §3), as FHIR clients
  // expect, rather than an empty world; /metadata stays public (it never asks for access).
  const fhirAccess = async (request: FastifyRequest): Promise<AccessContext> => {
    if (!request.principal && !platform.config.insecureOpenFhir) {
      throw new CarelineError('unauthorized', [{ diagnostics: 'The FHIR API needs an access token (Authorization: Bearer) or a signed-in session.' }], {
        'www-authenticate': 'Bearer realm="careline"',
      });
    }
    return access.contextFor(request.principal, request);
  };
  await app.register(fhirRoutes, { platform, store, accessFor: wiring.fhirAccess ?? fhirAccess, prefix: '/fhir/R4' });
  await app.register(monitoringCapability, { platform, store, authenticator: wiring.authenticator, accessFor: async (principal, request) => access.contextFor(principal, request), careTeamOf: async (patient) => access.careTeamOf(patient), emailsOf: async (refs) => emailsOfFhirUsers(platform.db, refs) });
  await app.register(visitsCapability, { platform, store, accessFor: async (principal, request) => access.contextFor(principal, request), careTeamOf: async (patient) => access.careTeamOf(patient) });
  return store;
}
