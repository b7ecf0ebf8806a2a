import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole, requireUser, type UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { appointmentView, type AppointmentView } from './appointment-view.js';
import type { JoinLinks } from './join-links.js';
import type { LinkRow } from './link-repository.js';
import { ZAppointmentParams, ZGuestLink, ZGuestParams, ZInvitedGuest, ZInviteGuestBody } from './guest-routes.types.js';

export interface GuestRouteOptions {
  readonly deps: VisitsDeps;
  readonly links: JoinLinks;
  /** Takes a guest whose link was just revoked out of the room. */
  readonly onRevoked: (appointmentId: string, linkId: string) => Promise<void>;
}

const INVITERS = ['clinician', 'nurse', 'specialist', 'front-desk'] as const;

/**
 * The Appointment as the caller's own policy lets them read it (404 otherwise), if they hold a role
 * that may invite guests in its clinic (the host clinician, the care team, the front desk).
 */
async function appointmentFor(deps: VisitsDeps, user: UserPrincipal, request: FastifyRequest, id: string): Promise<AppointmentView> {
  const ctx = await deps.accessFor(user, request);
  const a = appointmentView((await deps.store.read(ctx, 'Appointment', id)).resource);
  if (!a) throw new CarelineError('unprocessable', [{ diagnostics: 'This appointment has no start and end; it cannot be a visit.' }]);
  if (!INVITERS.some((r) => a.organizationId !== undefined && hasRole(user, r, a.organizationId))) throw new CarelineError('forbidden', [{ diagnostics: 'Only the clinic’s clinicians and front desk invite guests.' }]);
  if (a.status === 'cancelled') throw new CarelineError('visit-cancelled');
  return a;
}

const shape = (l: LinkRow): z.infer<typeof ZGuestLink> => ({
  id: l.id, displayName: l.display_name, role: l.role, validFrom: l.valid_from.toISOString(), validUntil: l.valid_until.toISOString(), revokedAt: l.revoked_at?.toISOString() ?? null,
});

/** /api/visits/:appointmentId/guests — invite (link shown once), list, revoke (and remove from the room). */
export const guestRoutes: FastifyPluginAsyncZod<GuestRouteOptions> = async (app, { deps, links, onRevoked }) => {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  app.post('/:appointmentId/guests', { schema: { tags: ['visits'], params: ZAppointmentParams, body: ZInviteGuestBody, response: { 201: ZInvitedGuest } } }, async (request, reply) => {
    const user = requireUser(request);
    const a = await appointmentFor(deps, user, request, request.params.appointmentId);
    const issued = await links.issue({ appointmentId: a.id, kind: 'guest', displayName: request.body.displayName, role: request.body.role, start: a.start, end: a.end, createdBy: `User/${user.accountId}` });
    return reply.code(201).send({
      id: issued.linkId, displayName: request.body.displayName, role: request.body.role, validFrom: issued.validFrom.toISOString(), validUntil: issued.validUntil.toISOString(), revokedAt: null, url: issued.url,
    });
  });

  app.get('/:appointmentId/guests', { schema: { tags: ['visits'], params: ZAppointmentParams, response: { 200: z.array(ZGuestLink) } } }, async (request) => {
    const a = await appointmentFor(deps, requireUser(request), request, request.params.appointmentId);
    return (await links.guestsOf(a.id)).map(shape);
  });

  app.delete('/:appointmentId/guests/:linkId', { schema: { tags: ['visits'], params: ZGuestParams } }, async (request, reply) => {
    const a = await appointmentFor(deps, requireUser(request), request, request.params.appointmentId);
    const link = await links.byId(request.params.linkId);
    if (link?.appointment_id !== a.id || link.kind !== 'guest') throw new CarelineError('not-found', [{ diagnostics: 'This visit has no such guest link.', expression: ['linkId'] }]);
    await links.revoke(a.id, link.id);
    await onRevoked(a.id, link.id);
    return reply.code(204).send();
  });
};
