import { VISIT_WS_PATH, ZJoinLinkRequest, ZJoinResponse } from '@careline/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { originAllowed } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { guestRoutes } from '../links/guest-routes.js';
import { ZAppointmentParams } from '../links/guest-routes.types.js';
import { createJoinLinks, LINKS_REVOKED_TOPIC, type JoinLinks, type LinksRevoked } from '../links/join-links.js';
import { hashJoinToken, TICKET_PATTERN } from '../links/link-tokens.js';
import type { VisitsDeps } from '../visits-deps.js';
import type { JoinLinkIssuer } from '../visit-ports.js';
import { hostNameOf, joinSignedIn, joinWithLink, loadAppointment, type JoinDeps } from './join-visit.js';
import { RoomBus } from './room-bus.js';
import { RoomRepository, type ParticipantRow } from './room-repository.js';
import { RoomService, type RoomContext } from './room-service.js';
import { SignalingSocket } from './signaling-socket.js';

/** Sub-protocol prefix carrying the ticket on the upgrade (browsers cannot set headers on WebSockets). */
const TICKET_PROTOCOL_PREFIX = 'ticket.';

interface Admission {
  readonly ctx: RoomContext;
  readonly participant: ParticipantRow;
}

/**
 * The waiting room and visit room (room/README.md): join routes, guest invitations, and the
 * signaling WebSocket at VISIT_WS_PATH.
 */
export async function roomPlugin(app: FastifyInstance, options: { readonly deps: VisitsDeps; readonly links: JoinLinkIssuer }): Promise<void> {
  const { deps } = options;
  const { platform } = deps;
  // createJoinLinks is stateless over the database: the room's own handle has the resolve/revoke half.
  const links: JoinLinks = createJoinLinks(deps);
  const roomBus = new RoomBus(platform.bus);
  const service = new RoomService(platform.db, deps.store, roomBus);
  const repo = new RoomRepository(platform.db);
  const joinDeps: JoinDeps = { db: platform.db, store: deps.store, config: platform.config, links, careTeamOf: deps.careTeamOf };
  const live = new Set<SignalingSocket>();

  // Cancelled or rescheduled (links revoked, announced to every instance): each ends its own sockets
  // of that visit, so the room's state is changed once per instance at most (idempotent updates).
  const offRevoked = platform.bus.subscribe(LINKS_REVOKED_TOPIC, (raw) => {
    const id = (raw as Partial<LinksRevoked> | undefined)?.appointmentId;
    if (typeof id !== 'string' || ![...live].some((s) => s.ctx.appointment.id === id)) return;
    service.cancelled(id).catch((err: unknown) => platform.log.warn({ reason: (err as Error).message }, 'ending a cancelled visit failed'));
  });
  app.addHook('onClose', async () => offRevoked());

  const api = app.withTypeProvider<ZodTypeProvider>();
  await app.register(async (scoped) => {
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    r.addHook('onSend', async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
    });
    // A join link acts on no session (the visitor may have none), so it needs no CSRF token.
    r.post('/join', { config: { csrfExempt: true }, schema: { tags: ['visits'], body: ZJoinLinkRequest, response: { 200: ZJoinResponse } } }, async (request) =>
      joinWithLink(joinDeps, request.body.token, request.ip),
    );
    r.post('/:appointmentId/join', { schema: { tags: ['visits'], params: ZAppointmentParams, response: { 200: ZJoinResponse } } }, async (request) =>
      joinSignedIn(joinDeps, request.principal, request.params.appointmentId),
    );
  }, { prefix: '/api/visits' });

  await app.register(guestRoutes, {
    prefix: '/api/visits',
    deps,
    links,
    onRevoked: async (appointmentId, linkId) => {
      const p = await repo.participantByLink(linkId);
      if (p) await service.remove(appointmentId, p);
    },
  });

  const admissions = new WeakMap<FastifyRequest, Admission>();
  // Before the upgrade: Origin exactly as /ws checks it, then the ticket; a refusal is an HTTP answer.
  const preValidation = async (request: FastifyRequest): Promise<void> => {
    if (!originAllowed(request, platform.config, platform.config.corsOrigins)) {
      throw new CarelineError('forbidden', [{ diagnostics: 'WebSocket connections are accepted from this site only.' }]);
    }
    const ticket = ticketOf(request.headers['sec-websocket-protocol']);
    const participant = ticket ? await repo.participantByTicket(hashJoinToken(ticket)) : undefined;
    if (!participant) throw new CarelineError('unauthorized', [{ diagnostics: 'The visit ticket is missing, unknown or expired; join again.' }]);
    const appointment = await loadAppointment(deps.store, participant.appointment_id); // the ticket proved the right to it
    if (appointment.status === 'cancelled') throw new CarelineError('visit-cancelled');
    if ((await repo.room(appointment.id))?.ended_at) throw new CarelineError('visit-ended');
    admissions.set(request, { participant, ctx: { participantId: participant.id, appointment, hostName: await hostNameOf(deps.store, appointment) } });
  };

  api.get(VISIT_WS_PATH, { websocket: true, schema: { hide: true }, preValidation }, (socket, request) => {
    const admission = admissions.get(request);
    if (!admission) {
      socket.close(1011, 'not admitted');
      return;
    }
    platform.metrics.wsConnections.inc();
    const s = new SignalingSocket({ service, roomBus, bus: platform.bus, log: platform.log }, socket, admission.ctx, admission.participant.status);
    live.add(s);
    socket.on('close', () => {
      live.delete(s);
      platform.metrics.wsConnections.dec();
    });
    s.start();
  });
}

function ticketOf(header: string | undefined): string | undefined {
  const t = (header ?? '').split(',').map((p) => p.trim()).find((p) => p.startsWith(TICKET_PROTOCOL_PREFIX))?.slice(TICKET_PROTOCOL_PREFIX.length);
  return t && TICKET_PATTERN.test(t) ? t : undefined;
}
