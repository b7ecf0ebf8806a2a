import type { Queryable } from '../../platform/db/database.js';
import type { JoinLinkKind } from '../visit-ports.js';

export interface LinkRow {
  readonly id: string;
  readonly appointment_id: string;
  readonly kind: JoinLinkKind;
  readonly participant_ref: string | null;
  readonly display_name: string;
  readonly role: string | null;
  readonly valid_from: Date;
  readonly valid_until: Date;
  readonly revoked_at: Date | null;
  readonly created_by: string;
  readonly created_at: Date;
}

const COLUMNS = 'id, appointment_id, kind, participant_ref, display_name, role, valid_from, valid_until, revoked_at, created_by, created_at';

/** The only SQL over join links and the guessing counter (migration 0012). */
export class LinkRepository {
  constructor(private readonly q: Queryable) {}

  async insert(l: { id: string; tokenHash: string; appointmentId: string; kind: JoinLinkKind; participantRef: string | null; displayName: string; role: string | null; validFrom: Date; validUntil: Date; createdBy: string }): Promise<void> {
    await this.q.query(
      `INSERT INTO visit_link (id, token_hash, appointment_id, kind, participant_ref, display_name, role, valid_from, valid_until, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [l.id, l.tokenHash, l.appointmentId, l.kind, l.participantRef, l.displayName, l.role, l.validFrom, l.validUntil, l.createdBy],
    );
  }

  async byTokenHash(tokenHash: string): Promise<LinkRow | undefined> {
    const r = await this.q.query<LinkRow>(`SELECT ${COLUMNS} FROM visit_link WHERE token_hash = $1`, [tokenHash]);
    return r.rows[0];
  }

  async byId(id: string): Promise<LinkRow | undefined> {
    const r = await this.q.query<LinkRow>(`SELECT ${COLUMNS} FROM visit_link WHERE id = $1`, [id]);
    return r.rows[0];
  }

  async guestsOf(appointmentId: string): Promise<LinkRow[]> {
    const r = await this.q.query<LinkRow>(`SELECT ${COLUMNS} FROM visit_link WHERE appointment_id = $1 AND kind = 'guest' ORDER BY created_at, id`, [appointmentId]);
    return r.rows;
  }

  /** Revokes one link; false when it was unknown, of another appointment, or already revoked. */
  async revoke(appointmentId: string, id: string): Promise<boolean> {
    const r = await this.q.query('UPDATE visit_link SET revoked_at = now() WHERE id = $1 AND appointment_id = $2 AND revoked_at IS NULL', [id, appointmentId]);
    return r.rowCount > 0;
  }

  async revokeAll(appointmentId: string): Promise<number> {
    const r = await this.q.query('UPDATE visit_link SET revoked_at = now() WHERE appointment_id = $1 AND revoked_at IS NULL', [appointmentId]);
    return r.rowCount;
  }

  /** Counts one failed look-up from `ip` in the current minute; resolves to the minute's failures so far. */
  async countFailure(ip: string): Promise<number> {
    const r = await this.q.query<{ failures: number }>(
      `INSERT INTO visit_join_failure (source_ip, window_start, failures) VALUES ($1, date_trunc('minute', now()), 1)
       ON CONFLICT (source_ip, window_start) DO UPDATE SET failures = visit_join_failure.failures + 1
       RETURNING failures`,
      [ip],
    );
    // Old windows are useless; dropping them here keeps the table to about one row per active address.
    await this.q.query("DELETE FROM visit_join_failure WHERE window_start < date_trunc('minute', now()) - interval '5 minutes'");
    return r.rows[0]?.failures ?? 1;
  }

  async failuresNow(ip: string): Promise<number> {
    const r = await this.q.query<{ failures: number }>("SELECT failures FROM visit_join_failure WHERE source_ip = $1 AND window_start = date_trunc('minute', now())", [ip]);
    return r.rows[0]?.failures ?? 0;
  }
}
