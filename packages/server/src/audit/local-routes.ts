import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditTrail } from '../platform/audit/audit-trail.js';
import { localAdminGuard, type LocalAdminOptions } from '../operations/local-admin-routes.js';
import { ZVerifyResponse } from './audit-report.types.js';

/**
 * `careline audit verify` through the running server (PGlite admits one process), under /admin/local
 * with the same loopback + token check as the other local admin routes.
 */
export const auditLocalRoutes: FastifyPluginAsyncZod<LocalAdminOptions> = async (app, { platform, token }) => {
  app.addHook('onRequest', localAdminGuard(token));
  app.post('/audit/verify', { schema: { hide: true, response: { 200: ZVerifyResponse } } }, async () => new AuditTrail(platform.db).verify());
};
