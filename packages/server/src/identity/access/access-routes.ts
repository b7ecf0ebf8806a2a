import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FhirStore } from '../../fhir/store/fhir-store.js';
import type { CapabilityOptions } from '../../platform/platform.js';
import { requirePrincipal, requireRole } from './access-service.js';
import { BREAK_GLASS_ROLES, breakGlass, MIN_REASON_LENGTH } from './break-glass.js';
import { grantCaregiver, listCaregiverGrants, revokeCaregiverGrant } from './caregiver-grants.js';

export interface AccessRouteOptions extends CapabilityOptions {
  readonly store: FhirStore;
  /** Length of a break-the-glass opening (CARELINE_BREAK_GLASS_HOURS). */
  readonly breakGlassHours: number;
  readonly now?: () => Date;
}

const ZBreakGlass = z.object({ patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/), reason: z.string().trim().min(MIN_REASON_LENGTH).max(2000) });
const ZGrant = z.object({
  patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/),
  caregiver: z.string().max(100),
  scope: z.enum(['read', 'read-write']),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Access-control routes (docs/API.md, "Access control"): break-the-glass and caregiver grants.
 * Thin: each validates, finds the caller (request.principal) and calls one use case.
 */
export const accessRoutes: FastifyPluginAsyncZod<AccessRouteOptions> = async (app, { platform, store, breakGlassHours, now }) => {
  const deps = { db: platform.db, store, audit: platform.audit, hours: breakGlassHours, now: now ?? (() => new Date()) };

  app.post('/break-glass', { schema: { body: ZBreakGlass, hide: true } }, async (request, reply) => {
    const principal = requireRole(request, BREAK_GLASS_ROLES);
    const result = await breakGlass(deps, principal, request.body, { sourceIp: request.ip, requestId: request.id });
    return reply.code(201).send(result);
  });

  app.post('/caregiver-grants', { schema: { body: ZGrant, hide: true } }, async (request, reply) => {
    const result = await grantCaregiver(deps, requirePrincipal(request), request.body);
    return reply.code(201).send(result);
  });

  app.get('/caregiver-grants', { schema: { querystring: z.object({ patient: z.string().max(100).optional() }), hide: true } }, async (request) => ({
    grants: await listCaregiverGrants(deps, requirePrincipal(request), request.query.patient),
  }));

  app.delete('/caregiver-grants/:id', { schema: { params: z.object({ id: z.string().max(64) }), hide: true } }, async (request, reply) => {
    await revokeCaregiverGrant(deps, requirePrincipal(request), request.params.id);
    return reply.code(204).send();
  });
};
