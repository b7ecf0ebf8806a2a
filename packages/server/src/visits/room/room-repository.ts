import type { TParticipantKind, TParticipantStatus } from '@careline/contracts';
import type { Queryable } from '../../platform/db/database.js';

export interface ParticipantRow {
  readonly id: string;
  readonly appointment_id: string;
  readonly identity: string;
  readonly kind: TParticipantKind;
  readonly host: boolean;
  readonly display_name: string;
  readonly role: string | null;
  readonly fhir_ref: string | null;
  readonly link_id: string | null;
  readonly status: TParticipantStatus;
  readonly since: Date;
  readonly connection_id: string | null;
}

export interface RoomRow {
  readonly appointment_id: string;
  readonly organization_id: string | null;
  readonly encounter_id: string | null;
  readonly patient_at_home: boolean | null;
  readonly telepresenter_seen: boolean;
  readonly video_seen: boolean;
  readonly audio_only_seen: boolean;
  readonly ended_at: Date | null;
}

const P = 'id, appointment_id, identity, kind, host, display_name, role, fhir_ref, link_id, status, since, connection_id';
const R = 'appointment_id, organization_id, encounter_id, patient_at_home, telepresenter_seen, video_seen, audio_only_seen, ended_at';

/** The only SQL over rooms, participants, tickets and the chat index (migration 0012). */
export class RoomRepository {
  constructor(private readonly q: Queryable) {}

  with(q: Queryable): RoomRepository {
    return new RoomRepository(q);
  }

  async ensureRoom(appointmentId: string, organizationId: string | null): Promise<void> {
    await this.q.query('INSERT INTO visit_room (appointment_id, organization_id) VALUES ($1, $2) ON CONFLICT (appointment_id) DO NOTHING', [appointmentId, organizationId]);
  }

  async room(appointmentId: string, lock = false): Promise<RoomRow | undefined> {
    const r = await this.q.query<RoomRow>(`SELECT ${R} FROM visit_room WHERE appointment_id = $1${lock ? ' FOR UPDATE' : ''}`, [appointmentId]);
    return r.rows[0];
  }

  /** Claims the room's Encounter id (chosen before the Encounter is written); undefined when one exists. */
  async claimEncounter(appointmentId: string, encounterId: string): Promise<string | undefined> {
    const r = await this.q.query('UPDATE visit_room SET encounter_id = $2 WHERE appointment_id = $1 AND encounter_id IS NULL', [appointmentId, encounterId]);
    return r.rowCount > 0 ? encounterId : undefined;
  }

  async releaseEncounter(appointmentId: string, encounterId: string): Promise<void> {
    await this.q.query('UPDATE visit_room SET encounter_id = NULL WHERE appointment_id = $1 AND encounter_id = $2', [appointmentId, encounterId]);
  }

  async markEnded(appointmentId: string, at: Date): Promise<boolean> {
    const r = await this.q.query('UPDATE visit_room SET ended_at = $2 WHERE appointment_id = $1 AND ended_at IS NULL', [appointmentId, at]);
    return r.rowCount > 0;
  }

  async recordLocation(appointmentId: string, atHome: boolean): Promise<void> {
    await this.q.query('UPDATE visit_room SET patient_at_home = $2 WHERE appointment_id = $1', [appointmentId, atHome]);
  }

  /** Media facts for billing: whether anyone was ever on video, whether anyone reported audio-only. */
  async recordMedia(appointmentId: string, video: boolean, audioOnly: boolean): Promise<void> {
    await this.q.query('UPDATE visit_room SET video_seen = video_seen OR $2, audio_only_seen = audio_only_seen OR $3 WHERE appointment_id = $1', [appointmentId, video, audioOnly]);
  }

  async markTelepresenter(appointmentId: string): Promise<void> {
    await this.q.query('UPDATE visit_room SET telepresenter_seen = true WHERE appointment_id = $1', [appointmentId]);
  }

  /** Finds or creates the participant for one identity; a rejoin keeps the status (left → `rejoinStatus`). */
  async upsertParticipant(p: { id: string; appointmentId: string; identity: string; kind: TParticipantKind; host: boolean; displayName: string; role: string | null; fhirRef: string | null; linkId: string | null; initialStatus: TParticipantStatus; rejoinStatus: TParticipantStatus }): Promise<ParticipantRow> {
    const r = await this.q.query<ParticipantRow>(
      `INSERT INTO visit_participant (id, appointment_id, identity, kind, host, display_name, role, fhir_ref, link_id, status, since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (appointment_id, identity) DO UPDATE SET
         display_name = EXCLUDED.display_name,
         status = CASE WHEN visit_participant.status = 'left' THEN $11 ELSE visit_participant.status END,
         since = CASE WHEN visit_participant.status = 'left' THEN now() ELSE visit_participant.since END
       RETURNING ${P}`,
      [p.id, p.appointmentId, p.identity, p.kind, p.host, p.displayName, p.role, p.fhirRef, p.linkId, p.initialStatus, p.rejoinStatus],
    );
    const row = r.rows[0];
    if (!row) throw new Error('participant upsert returned no row');
    return row;
  }

  async participant(id: string): Promise<ParticipantRow | undefined> {
    const r = await this.q.query<ParticipantRow>(`SELECT ${P} FROM visit_participant WHERE id = $1`, [id]);
    return r.rows[0];
  }

  async participantByLink(linkId: string): Promise<ParticipantRow | undefined> {
    const r = await this.q.query<ParticipantRow>(`SELECT ${P} FROM visit_participant WHERE link_id = $1`, [linkId]);
    return r.rows[0];
  }

  async participants(appointmentId: string): Promise<ParticipantRow[]> {
    const r = await this.q.query<ParticipantRow>(`SELECT ${P} FROM visit_participant WHERE appointment_id = $1 ORDER BY since, id`, [appointmentId]);
    return r.rows;
  }

  /** Moves a participant from one status to another; undefined when it was not in `from`. */
  async transition(id: string, appointmentId: string, from: readonly TParticipantStatus[], to: TParticipantStatus): Promise<ParticipantRow | undefined> {
    const r = await this.q.query<ParticipantRow>(
      `UPDATE visit_participant SET status = $4, since = now() WHERE id = $1 AND appointment_id = $2 AND status = ANY($3::text[]) RETURNING ${P}`,
      [id, appointmentId, from, to],
    );
    return r.rows[0];
  }

  async leaveAll(appointmentId: string): Promise<void> {
    await this.q.query("UPDATE visit_participant SET status = 'left', since = now() WHERE appointment_id = $1 AND status <> 'left'", [appointmentId]);
  }

  async connect(id: string, connectionId: string): Promise<void> {
    await this.q.query('UPDATE visit_participant SET connection_id = $2 WHERE id = $1', [id, connectionId]);
  }

  /** Clears the connection if it is still this one (a newer socket of the participant may have replaced it). */
  async disconnect(id: string, connectionId: string): Promise<boolean> {
    const r = await this.q.query('UPDATE visit_participant SET connection_id = NULL WHERE id = $1 AND connection_id = $2', [id, connectionId]);
    return r.rowCount > 0;
  }

  async insertTicket(ticketHash: string, participantId: string, expiresAt: Date): Promise<void> {
    await this.q.query('INSERT INTO visit_ticket (ticket_hash, participant_id, expires_at) VALUES ($1, $2, $3)', [ticketHash, participantId, expiresAt]);
    await this.q.query('DELETE FROM visit_ticket WHERE expires_at < now()');
  }

  /** The participant a live ticket belongs to (its link, if any, not revoked). */
  async participantByTicket(ticketHash: string): Promise<ParticipantRow | undefined> {
    const r = await this.q.query<ParticipantRow>(
      `SELECT ${P.split(', ').map((c) => `p.${c}`).join(', ')} FROM visit_ticket t JOIN visit_participant p ON p.id = t.participant_id
       LEFT JOIN visit_link l ON l.id = p.link_id
       WHERE t.ticket_hash = $1 AND t.expires_at > now() AND (p.link_id IS NULL OR l.revoked_at IS NULL)`,
      [ticketHash],
    );
    return r.rows[0];
  }

  async dropTickets(participantId: string): Promise<void> {
    await this.q.query('DELETE FROM visit_ticket WHERE participant_id = $1', [participantId]);
  }

  async dropRoomTickets(appointmentId: string): Promise<void> {
    await this.q.query('DELETE FROM visit_ticket WHERE participant_id IN (SELECT id FROM visit_participant WHERE appointment_id = $1)', [appointmentId]);
  }

  async addChat(appointmentId: string, communicationId: string, participantId: string, sentAt: Date): Promise<void> {
    await this.q.query('INSERT INTO visit_chat (appointment_id, communication_id, participant_id, sent_at) VALUES ($1, $2, $3, $4)', [appointmentId, communicationId, participantId, sentAt]);
  }

  /** The room's latest chat entries, oldest first. */
  async chat(appointmentId: string, limit = 200): Promise<{ communication_id: string; participant_id: string; sent_at: Date }[]> {
    const r = await this.q.query<{ communication_id: string; participant_id: string; sent_at: Date }>(
      `SELECT communication_id, participant_id, sent_at FROM
         (SELECT communication_id, participant_id, sent_at FROM visit_chat WHERE appointment_id = $1 ORDER BY sent_at DESC LIMIT $2) c
       ORDER BY sent_at, communication_id`,
      [appointmentId, limit],
    );
    return r.rows;
  }
}
