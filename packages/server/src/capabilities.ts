import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './health/routes.js';
import { localAdminRoutes } from './operations/local-admin-routes.js';
import type { Platform } from './platform/platform.js';
import { webAppRoutes } from './web-app/routes.js';

/**
 * The one list of capabilities. Each is an encapsulated Fastify plugin given the platform services;
 * what one capability registers is invisible to its siblings.
 */
export async function registerCapabilities(app: FastifyInstance, platform: Platform, localAdminToken: string | undefined): Promise<void> {
  await app.register(healthRoutes, { platform });
  await app.register(webAppRoutes);
  await app.register(localAdminRoutes, { platform, token: localAdminToken, prefix: '/admin/local' });
}
