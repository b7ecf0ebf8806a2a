import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FhirStore, fhirRoutes, type AccessContext } from './fhir/index.js';
import { defineStatisticsJob } from './fhir/storage/statistics-job.js';
import { SubscriptionManager } from './fhir/subscriptions/subscription-manager.js';
import { healthRoutes } from './health/routes.js';
import { localAdminRoutes } from './operations/local-admin-routes.js';
import type { Platform } from './platform/platform.js';
import { webAppRoutes } from './web-app/routes.js';

/**
 * The one list of capabilities. Each is an encapsulated Fastify plugin given the platform services;
 * what one capability registers is invisible to its siblings.
 */
export interface CapabilityWiring {
  readonly localAdminToken: string | undefined;
  /** Who is calling the FHIR API; the identity capability will supply the real one. */
  readonly fhirAccess: (request: FastifyRequest) => AccessContext | Promise<AccessContext>;
}

export async function registerCapabilities(app: FastifyInstance, platform: Platform, wiring: CapabilityWiring): Promise<FhirStore> {
  const serverBase = platform.config.publicUrl ? `${platform.config.publicUrl.replace(/\/+$/, '')}/fhir/R4` : undefined;
  const store = new FhirStore(platform.db, platform.bus, (err) => platform.log.warn({ reason: err.message }, 'change feed publish failed'), serverBase);
  new SubscriptionManager(platform, store, platform.config.subscriptionAllowedHosts).install();
  defineStatisticsJob(platform);
  await app.register(healthRoutes, { platform });
  await app.register(webAppRoutes);
  await app.register(localAdminRoutes, { platform, token: wiring.localAdminToken, prefix: '/admin/local' });
  await app.register(fhirRoutes, { platform, store, accessFor: wiring.fhirAccess, prefix: '/fhir/R4' });
  return store;
}
