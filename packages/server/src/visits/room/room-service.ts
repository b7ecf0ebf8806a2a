import { randomUUID } from 'node:crypto';
import type { TChatMessage, TMediaState, TSignalData, TVisitServerMessage } from '@careline/contracts';
import type { FhirStore } from '../../fhir/index.js';
import type { Database } from '../../platform/db/database.js';
import type { AppointmentView } from '../links/appointment-view.js';
import { billingFacts } from './billing-facts.js';
import type { RoomBus } from './room-bus.js';
import { RoomRepository, type ParticipantRow } from './room-repository.js';
import { peerOf, visitSummary, waitingPeerOf } from './room-view.js';
import { addEncounterParticipant, chatText, finishEncounter, saveChat, startEncounter } from './visit-records.js';

/** A refusal sent back to the sender as an `error` message (never a crash, never a relay). */
export class RoomRefusal extends Error {
  constructor(readonly code: 'not-admitted' | 'not-host' | 'unknown-peer' | 'not-allowed' | 'visit-ended', diagnostics: string) {
    super(diagnostics);
  }
}

/** Close codes (RFC 6455 §7.4.2 application range). */
export const CLOSE_LEFT = 4000;
export const CLOSE_ENDED = 4001;
export const CLOSE_REMOVED = 4403;
export const CLOSE_REPLACED = 4409;

/** The room a socket belongs to, as read when it connected. */
export interface RoomContext {
  readonly participantId: string;
  readonly appointment: AppointmentView;
  readonly hostName: string;
}

/**
 * The room's state machine (room/README.md). Every decision reads the participants' state from the
 * database (the truth shared by all instances) and every message leaves through RoomBus to the
 * recipient's own topic, where that recipient's socket applies the privacy gate once more.
 */
export class RoomService {
  private readonly repo: RoomRepository;

  constructor(
    db: Database,
    private readonly store: FhirStore,
    private readonly bus: RoomBus,
  ) {
    this.repo = new RoomRepository(db);
  }

  /** A socket of the participant connected: the older ones close, then hello (and the room if admitted). */
  async connected(ctx: RoomContext, connectionId: string): Promise<void> {
    let me = await this.self(ctx);
    if (me.status === 'left') me = (await this.repo.transition(me.id, me.appointment_id, ['left'], me.host ? 'admitted' : 'waiting')) ?? me;
    await this.repo.connect(me.id, connectionId);
    await this.bus.deliver(me.id, { kind: 'replaced', connectionId });
    await this.bus.deliver(me.id, { kind: 'status', status: me.status });
    await this.sendHello(ctx, me);
    if (me.status === 'admitted') await this.enterRoom(ctx, me);
    await this.refreshLobby(ctx);
  }

  /** The socket dropped: admitted peers tear down their connection to it; its status is kept for a reconnect. */
  async disconnected(ctx: RoomContext, connectionId: string): Promise<void> {
    const me = await this.repo.participant(ctx.participantId);
    if (!me || !(await this.repo.disconnect(me.id, connectionId))) return;
    if (me.status === 'admitted') await this.toAdmitted(ctx, { type: 'peer-left', peerId: me.id }, me.id);
    await this.refreshLobby(ctx);
  }

  async admit(ctx: RoomContext, targetId: string): Promise<void> {
    await this.requireHost(ctx);
    const a = ctx.appointment;
    const room = await this.repo.room(a.id);
    if (!room || room.ended_at) throw new RoomRefusal('visit-ended', 'This visit has ended.');
    const target = await this.repo.transition(targetId, a.id, ['waiting'], 'admitted');
    if (!target) throw new RoomRefusal('unknown-peer', 'Nobody with this id is waiting in this room.');
    if (target.kind === 'telepresenter') await this.repo.markTelepresenter(a.id);
    let encounterId = room.encounter_id;
    // FHIR writes stay outside SQL transactions (PGlite has one connection and the store commits on
    // its own); the conditional claim of the Encounter id is what makes exactly one admit create it.
    const claimed = !encounterId && target.kind === 'patient' ? await this.repo.claimEncounter(a.id, randomUUID()) : undefined;
    if (claimed) {
      const practitioners = (await this.repo.participants(a.id)).filter((p) => p.status === 'admitted' && p.fhir_ref?.startsWith('Practitioner/')).map((p) => p.fhir_ref ?? '');
      try {
        await startEncounter(this.store, a, claimed, practitioners, new Date());
      } catch (err) {
        await this.repo.releaseEncounter(a.id, claimed);
        await this.repo.transition(target.id, a.id, ['admitted'], 'waiting');
        throw err;
      }
      encounterId = claimed;
    } else if (encounterId && target.fhir_ref?.startsWith('Practitioner/')) {
      await addEncounterParticipant(this.store, encounterId, target.fhir_ref);
    }
    await this.bus.deliver(target.id, { kind: 'status', status: 'admitted' });
    await this.sendHello(ctx, target);
    await this.enterRoom(ctx, target, encounterId);
    await this.refreshLobby(ctx);
  }

  async lobbyMessage(ctx: RoomContext, text: string, targetId: string | undefined): Promise<void> {
    await this.requireHost(ctx);
    const waiting = (await this.repo.participants(ctx.appointment.id)).filter((p) => p.status === 'waiting' && (targetId === undefined || p.id === targetId));
    if (targetId !== undefined && waiting.length === 0) throw new RoomRefusal('unknown-peer', 'Nobody with this id is waiting in this room.');
    const sentAt = new Date().toISOString();
    for (const p of waiting) await this.bus.send(p.id, { type: 'lobby-message', text, sentAt });
  }

  async signal(ctx: RoomContext, to: string, data: TSignalData): Promise<void> {
    const me = await this.requireAdmitted(ctx);
    const peer = to === me.id ? undefined : await this.repo.participant(to);
    if (!peer || peer.appointment_id !== ctx.appointment.id || peer.status !== 'admitted') {
      throw new RoomRefusal('unknown-peer', 'Signals go only to another admitted participant of this visit.');
    }
    await this.bus.send(peer.id, { type: 'signal', from: me.id, data });
  }

  async chat(ctx: RoomContext, text: string): Promise<void> {
    const me = await this.requireAdmitted(ctx);
    const room = await this.repo.room(ctx.appointment.id);
    const sentAt = new Date();
    const message = await saveChat(this.store, ctx.appointment, room?.encounter_id ?? null, { participantId: me.id, displayName: me.display_name, fhirRef: me.fhir_ref }, text, sentAt);
    await this.repo.addChat(ctx.appointment.id, message.id, me.id, sentAt);
    // Everyone admitted, the sender included: their copy confirms the message was saved.
    await this.toAdmitted(ctx, { type: 'chat', message });
  }

  async mediaState(ctx: RoomContext, state: TMediaState): Promise<void> {
    const me = await this.requireAdmitted(ctx);
    await this.repo.recordMedia(ctx.appointment.id, state.video && !state.audioOnly, state.audioOnly);
    await this.toAdmitted(ctx, { type: 'media-state', peerId: me.id, state }, me.id);
  }

  async location(ctx: RoomContext, atHome: boolean): Promise<void> {
    const me = await this.self(ctx);
    if (me.kind !== 'patient') throw new RoomRefusal('not-allowed', 'Only the patient says where they are.');
    await this.repo.recordLocation(ctx.appointment.id, atHome);
  }

  async leave(ctx: RoomContext): Promise<void> {
    const me = await this.self(ctx);
    const was = me.status;
    await this.repo.transition(me.id, me.appointment_id, ['waiting', 'admitted'], 'left');
    if (was === 'admitted') await this.toAdmitted(ctx, { type: 'peer-left', peerId: me.id }, me.id);
    await this.bus.deliver(me.id, { kind: 'status', status: 'left' });
    await this.bus.deliver(me.id, { kind: 'close', code: CLOSE_LEFT, reason: 'left' });
    await this.refreshLobby(ctx);
  }

  /** Host only: the Encounter is finished with its billing facts, everyone is told and disconnected. */
  async end(ctx: RoomContext): Promise<void> {
    await this.requireHost(ctx);
    const a = ctx.appointment;
    const at = new Date();
    // The conditional update is the claim: of two concurrent ends, one finishes the Encounter.
    if (!(await this.repo.markEnded(a.id, at))) throw new RoomRefusal('visit-ended', 'This visit has already ended.');
    const room = await this.repo.room(a.id);
    if (room?.encounter_id) {
      const billing = billingFacts({ patientAtHome: room.patient_at_home, telepresenterSeen: room.telepresenter_seen, videoSeen: room.video_seen, audioOnlySeen: room.audio_only_seen, mode: a.mode });
      await finishEncounter(this.store, a.id, room.encounter_id, billing, at);
    }
    const everyone = await this.repo.participants(a.id);
    await this.repo.leaveAll(a.id);
    await this.repo.dropRoomTickets(a.id);
    await this.closeAll(everyone, 'host-ended');
  }

  /** The visit was cancelled or rescheduled (its links revoked): everyone connected is told and disconnected. */
  async cancelled(appointmentId: string): Promise<void> {
    const everyone = await this.repo.participants(appointmentId);
    if (everyone.length === 0) return;
    await this.repo.leaveAll(appointmentId);
    await this.repo.dropRoomTickets(appointmentId);
    await this.closeAll(everyone, 'cancelled');
  }

  /** A guest whose link was revoked: out of the room at once, wherever they are connected. */
  async remove(appointmentId: string, participant: ParticipantRow): Promise<void> {
    await this.repo.transition(participant.id, appointmentId, ['waiting', 'admitted'], 'left');
    await this.repo.dropTickets(participant.id);
    await this.bus.deliver(participant.id, { kind: 'status', status: 'left' });
    await this.bus.send(participant.id, { type: 'error', code: 'removed', diagnostics: 'The clinician withdrew your invitation to this visit.' });
    await this.bus.deliver(participant.id, { kind: 'close', code: CLOSE_REMOVED, reason: 'removed' });
    if (participant.status === 'admitted') {
      for (const p of await this.repo.participants(appointmentId)) {
        if (p.status === 'admitted' && p.connection_id && p.id !== participant.id) await this.bus.send(p.id, { type: 'peer-left', peerId: participant.id });
      }
    }
    for (const host of (await this.repo.participants(appointmentId)).filter((p) => p.host)) await this.sendLobbyTo(appointmentId, host.id);
  }

  private async closeAll(everyone: readonly ParticipantRow[], reason: 'host-ended' | 'cancelled'): Promise<void> {
    for (const p of everyone) {
      await this.bus.send(p.id, { type: 'ended', reason });
      await this.bus.deliver(p.id, { kind: 'status', status: 'left' });
      await this.bus.deliver(p.id, { kind: 'close', code: CLOSE_ENDED, reason });
    }
  }

  private async sendHello(ctx: RoomContext, p: ParticipantRow): Promise<void> {
    const room = await this.repo.room(ctx.appointment.id);
    const status = p.status;
    await this.bus.send(p.id, { type: 'hello', self: peerOf(p), status, visit: visitSummary(ctx.appointment, room, ctx.hostName), ...(status === 'waiting' ? { waitingSince: p.since.toISOString() } : {}) });
  }

  /** `admitted` (peers, Encounter, chat so far) to the participant; `peer-joined` to the others. */
  private async enterRoom(ctx: RoomContext, me: ParticipantRow, encounterId?: string | null): Promise<void> {
    const all = await this.repo.participants(ctx.appointment.id);
    const peers = all.filter((p) => p.status === 'admitted' && p.connection_id !== null && p.id !== me.id);
    const enc = encounterId ?? (await this.repo.room(ctx.appointment.id))?.encounter_id ?? '';
    await this.bus.send(me.id, { type: 'admitted', peers: peers.map(peerOf), encounterId: enc ?? '', chat: await this.chatSoFar(ctx, all) });
    const peerJoined: TVisitServerMessage = { type: 'peer-joined', peer: peerOf(me), ...(enc ? { encounterId: enc } : {}) };
    for (const p of peers) await this.bus.send(p.id, peerJoined);
  }

  private async chatSoFar(ctx: RoomContext, all: readonly ParticipantRow[]): Promise<TChatMessage[]> {
    const names = new Map(all.map((p) => [p.id, p.display_name]));
    const out: TChatMessage[] = [];
    for (const c of await this.repo.chat(ctx.appointment.id)) {
      out.push({ id: c.communication_id, from: c.participant_id, displayName: names.get(c.participant_id) ?? '', text: await chatText(this.store, c.communication_id), sentAt: c.sent_at.toISOString() });
    }
    return out;
  }

  /** `lobby` (who is waiting and connected) to every admitted clinician of the room. */
  private async refreshLobby(ctx: RoomContext): Promise<void> {
    const all = await this.repo.participants(ctx.appointment.id);
    const waiting = all.filter((p) => p.status === 'waiting' && p.connection_id !== null).map(waitingPeerOf);
    for (const p of all) if (p.status === 'admitted' && p.kind === 'clinician' && p.connection_id) await this.bus.send(p.id, { type: 'lobby', waiting });
  }

  private async sendLobbyTo(appointmentId: string, participantId: string): Promise<void> {
    const waiting = (await this.repo.participants(appointmentId)).filter((p) => p.status === 'waiting' && p.connection_id !== null).map(waitingPeerOf);
    await this.bus.send(participantId, { type: 'lobby', waiting });
  }

  private async toAdmitted(ctx: RoomContext, message: TVisitServerMessage, exceptId?: string): Promise<void> {
    for (const p of await this.repo.participants(ctx.appointment.id)) {
      if (p.status === 'admitted' && p.connection_id !== null && p.id !== exceptId) await this.bus.send(p.id, message);
    }
  }

  private async self(ctx: RoomContext): Promise<ParticipantRow> {
    const me = await this.repo.participant(ctx.participantId);
    if (!me) throw new RoomRefusal('not-allowed', 'You are no longer a participant of this visit.');
    return me;
  }

  private async requireAdmitted(ctx: RoomContext): Promise<ParticipantRow> {
    const me = await this.self(ctx);
    if (me.status !== 'admitted') throw new RoomRefusal('not-admitted', 'Only admitted participants may do this; you are in the waiting room.');
    return me;
  }

  private async requireHost(ctx: RoomContext): Promise<ParticipantRow> {
    const me = await this.requireAdmitted(ctx);
    if (!me.host) throw new RoomRefusal('not-host', 'Only the host clinician may do this.');
    return me;
  }
}
