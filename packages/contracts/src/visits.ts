import { z } from 'zod';

/**
 * Live video visits (issue #6): the contract between the visit-room server (packages/server/src/visits/room)
 * and the browser (packages/web/src/visits/room). One WebSocket per participant carries the waiting room
 * and the WebRTC signaling; the server relays signaling only between ADMITTED participants of one room.
 * A participant still waiting receives nothing but their own state and the host's short messages.
 */

/** Who a participant is in the room. `clinician` with `host: true` is the appointment's practitioner. */
export const ZParticipantKind = z.enum(['patient', 'clinician', 'guest', 'telepresenter']);
export type TParticipantKind = z.infer<typeof ZParticipantKind>;

export const ZParticipantStatus = z.enum(['waiting', 'admitted', 'left']);
export type TParticipantStatus = z.infer<typeof ZParticipantStatus>;

/** A participant as others see them (no tokens, no FHIR ids of other people). */
export const ZPeer = z.object({
  id: z.uuid(),
  kind: ZParticipantKind,
  displayName: z.string().max(120),
  host: z.boolean(),
  /** For guests: interpreter, family, clinician… (free text chosen by the inviting clinician). */
  role: z.string().max(60).optional(),
});
export type TPeer = z.infer<typeof ZPeer>;

export const ZWaitingPeer = ZPeer.extend({ since: z.iso.datetime() });
export type TWaitingPeer = z.infer<typeof ZWaitingPeer>;

export const ZVisitMode = z.enum(['video', 'audio', 'in-person']);
export type TVisitMode = z.infer<typeof ZVisitMode>;

/** What a participant may know about the visit before and after admission. */
export const ZVisitSummary = z.object({
  appointmentId: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  visitType: z.string(),
  mode: ZVisitMode,
  /** The host's display name, e.g. "Dr. Ana Ortiz". */
  hostName: z.string(),
  status: z.enum(['booked', 'arrived', 'in-progress', 'finished', 'cancelled']),
});
export type TVisitSummary = z.infer<typeof ZVisitSummary>;

/** RTCIceServer as the browser takes it. TURN credentials are ephemeral (TURN REST API, coturn use-auth-secret). */
export const ZIceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type TIceServer = z.infer<typeof ZIceServer>;

/**
 * POST /api/visits/join {token}           — a join link (patient, guest), no account needed
 * POST /api/visits/:appointmentId/join {} — a signed-in participant (clinician, patient, telepresenter)
 * → 200 ZJoinResponse. Errors (OperationOutcome): unknown token 404, expired or cancelled 410,
 * too early 409 (opensAt in diagnostics), guessing rate-limited 429.
 */
export const ZJoinLinkRequest = z.object({ token: z.string().min(20).max(200) });
export const ZJoinResponse = z.object({
  /** Opaque, short-lived; authenticates the signaling WebSocket (sub-protocol `ticket.<ticket>`) and room HTTP calls (header x-visit-ticket). */
  ticket: z.string(),
  ticketExpiresAt: z.iso.datetime(),
  self: ZPeer,
  visit: ZVisitSummary,
  iceServers: z.array(ZIceServer),
  /** ICE transport policy the client must use ('relay' when the clinic forces TURN). */
  iceTransportPolicy: z.enum(['all', 'relay']),
});
export type TJoinResponse = z.infer<typeof ZJoinResponse>;

/** The WebSocket path; the browser offers sub-protocols [VISIT_WS_PROTOCOL, `ticket.${ticket}`]. */
export const VISIT_WS_PATH = '/api/visits/signal';
export const VISIT_WS_PROTOCOL = 'careline-visit';

/** WebRTC payloads relayed between two admitted participants, untouched by the server. */
export const ZSignalData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(200_000).optional() }) }),
  z.object({
    kind: z.literal('candidate'),
    candidate: z.object({ candidate: z.string().max(2_000), sdpMid: z.string().max(64).nullable().optional(), sdpMLineIndex: z.number().int().nullable().optional(), usernameFragment: z.string().max(256).nullable().optional() }).nullable(),
  }),
]);
export type TSignalData = z.infer<typeof ZSignalData>;

export const ZMediaState = z.object({ audio: z.boolean(), video: z.boolean(), screen: z.boolean(), audioOnly: z.boolean() });
export type TMediaState = z.infer<typeof ZMediaState>;

export const ZChatMessage = z.object({ id: z.string(), from: z.uuid(), displayName: z.string(), text: z.string().max(2_000), sentAt: z.iso.datetime() });
export type TChatMessage = z.infer<typeof ZChatMessage>;

/** A vital sign recorded during the visit (telepresenter), as shown live to the room. */
export const ZVitalEvent = z.object({
  observation: z.string(), // 'Observation/<id>'
  code: z.string(), // LOINC
  label: z.string(),
  value: z.string(), // formatted, e.g. "128/82 mmHg"
  effective: z.iso.datetime(),
});
export type TVitalEvent = z.infer<typeof ZVitalEvent>;

/** Browser → server. */
export const ZVisitClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  /** Admitted only; `to` must be another admitted participant of the same room. */
  z.object({ type: z.literal('signal'), to: z.uuid(), data: ZSignalData }),
  /** Host only. */
  z.object({ type: z.literal('admit'), participantId: z.uuid() }),
  /** Host only: a short note to one waiting participant, or all of them when participantId is absent. */
  z.object({ type: z.literal('lobby-message'), participantId: z.uuid().optional(), text: z.string().min(1).max(280) }),
  /** Admitted only; saved as a FHIR Communication on the Encounter. */
  z.object({ type: z.literal('chat'), text: z.string().min(1).max(2_000) }),
  z.object({ type: z.literal('media-state'), state: ZMediaState }),
  /** The patient-side answer used for billing facts (place of service 10 at home, 02 elsewhere). */
  z.object({ type: z.literal('location'), atHome: z.boolean() }),
  z.object({ type: z.literal('leave') }),
  /** Host only: ends the visit for everyone (Encounter finished). */
  z.object({ type: z.literal('end') }),
]);
export type TVisitClientMessage = z.infer<typeof ZVisitClientMessage>;

/** Server → browser. */
export const ZVisitServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pong') }),
  /** First message after connecting, and again when one's own status changes. */
  z.object({ type: z.literal('hello'), self: ZPeer, status: ZParticipantStatus, visit: ZVisitSummary, waitingSince: z.iso.datetime().optional() }),
  /** To a waiting participant from the host. */
  z.object({ type: z.literal('lobby-message'), text: z.string(), sentAt: z.iso.datetime() }),
  /** To the host (and other admitted clinicians): who is waiting now (sent on every change). */
  z.object({ type: z.literal('lobby'), waiting: z.array(ZWaitingPeer) }),
  /**
   * To the participant just admitted: the admitted peers already there. The newcomer makes an offer
   * to each of them; everyone else receives `peer-joined` and waits for that offer.
   * Renegotiation later (screen share) uses perfect negotiation: the peer with the greater id is polite.
   */
  z.object({ type: z.literal('admitted'), peers: z.array(ZPeer), encounterId: z.string(), chat: z.array(ZChatMessage) }),
  /** `encounterId` (added): present once the visit's Encounter exists, so admitted peers learn it when the patient is first admitted. */
  z.object({ type: z.literal('peer-joined'), peer: ZPeer, encounterId: z.string().optional() }),
  z.object({ type: z.literal('peer-left'), peerId: z.uuid() }),
  z.object({ type: z.literal('signal'), from: z.uuid(), data: ZSignalData }),
  z.object({ type: z.literal('chat'), message: ZChatMessage }),
  z.object({ type: z.literal('media-state'), peerId: z.uuid(), state: ZMediaState }),
  z.object({ type: z.literal('vitals'), vital: ZVitalEvent }),
  /** The visit ended (host ended it, or it was cancelled); the client closes its peer connections. */
  z.object({ type: z.literal('ended'), reason: z.enum(['host-ended', 'cancelled', 'expired']) }),
  z.object({ type: z.literal('error'), code: z.string(), diagnostics: z.string() }),
]);
export type TVisitServerMessage = z.infer<typeof ZVisitServerMessage>;
