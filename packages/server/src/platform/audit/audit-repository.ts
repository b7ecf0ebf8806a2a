import type { Queryable } from '../db/database.js';
import type { AuditRecord } from './audit-event.js';

/** The only SQL of the audit trail's writes, sealing and verification (the report's is in src/audit). */

const COLUMNS = 'id, recorded, action, kind, outcome, agent, patients, organization, content';

/**
 * A data-modifying CTE that inserts `records`, for a capability's own write statement (so the audit
 * row commits in the same statement as the change). Parameters start at $first; rows travel as
 * parallel arrays through unnest, patients as JSON text per row (unnest flattens nested arrays).
 */
export function auditInsertCte(name: string, first: number): string {
  const p = (k: number): string => `$${first + k}`;
  return `${name} AS (
  INSERT INTO audit_event (${COLUMNS})
  SELECT u.id, u.rec, u.act, u.kind, u.out, u.agent, ARRAY(SELECT jsonb_array_elements_text(u.pat::jsonb)), u.org, u.content
  FROM unnest(${p(0)}::uuid[], ${p(1)}::timestamptz[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::smallint[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[])
    AS u(id, rec, act, kind, out, agent, pat, org, content)
)`;
}

/** The nine array parameters of auditInsertCte, in order. */
export function auditInsertParams(records: readonly AuditRecord[]): unknown[] {
  return [
    records.map((r) => r.id),
    records.map((r) => r.recorded),
    records.map((r) => r.action),
    records.map((r) => r.kind),
    records.map((r) => r.outcome),
    records.map((r) => r.agent),
    records.map((r) => JSON.stringify(r.patients)),
    records.map((r) => r.organization),
    records.map((r) => r.content),
  ];
}

const INSERT = `WITH ${auditInsertCte('aud', 1)} SELECT 1`;

export async function insertAuditRecords(q: Queryable, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await q.query(INSERT, auditInsertParams(records));
}

export interface ChainRow {
  readonly seq: number;
  readonly id: string;
  readonly recorded: string;
  readonly action: string;
  readonly kind: string;
  readonly outcome: number;
  readonly agent: string | null;
  readonly patients: string[];
  readonly organization: string | null;
  readonly content: string;
  readonly chain_pos: number | null;
  readonly prev_hash: string | null;
  readonly hash: string | null;
}

// The timestamp as the database's own UTC text with microseconds: independent of the session's time
// zone and of the client library's Date (milliseconds), so a change of one microsecond is caught.
const CHAIN_SELECT = `SELECT seq, id::text AS id, to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded,
  action, kind, outcome, agent, patients, organization, content, chain_pos, prev_hash, hash FROM audit_event`;

// Any fixed 64-bit key: one sealer at a time across every instance sharing the database.
const SEAL_LOCK_KEY = 7_414_022_004;

export class AuditRepository {
  constructor(private readonly q: Queryable) {}

  /** Takes the sealer's lock for the rest of the transaction; false when another sealer holds it (wait=false). */
  async lockSealer(wait: boolean): Promise<boolean> {
    if (wait) {
      await this.q.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
      return true;
    }
    const { rows } = await this.q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [SEAL_LOCK_KEY]);
    return rows[0]?.ok === true;
  }

  async chainHead(): Promise<{ pos: number; hash: string } | undefined> {
    const { rows } = await this.q.query<{ chain_pos: number; hash: string }>(
      'SELECT chain_pos, hash FROM audit_event WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1',
    );
    const r = rows[0];
    return r ? { pos: r.chain_pos, hash: r.hash } : undefined;
  }

  async unsealed(limit: number): Promise<ChainRow[]> {
    const { rows } = await this.q.query<ChainRow>(`${CHAIN_SELECT} WHERE chain_pos IS NULL ORDER BY seq LIMIT $1`, [limit]);
    return rows;
  }

  async seal(rows: readonly { seq: number; pos: number; prev: string; hash: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.q.query(
      `UPDATE audit_event AS a SET chain_pos = u.pos, prev_hash = u.prev, hash = u.hash
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(seq, pos, prev, hash) WHERE a.seq = u.seq`,
      [rows.map((r) => r.seq), rows.map((r) => r.pos), rows.map((r) => r.prev), rows.map((r) => r.hash)],
    );
  }

  /** Sealed rows in chain order after position `after`. */
  async sealedAfter(after: number, limit: number): Promise<ChainRow[]> {
    const { rows } = await this.q.query<ChainRow>(`${CHAIN_SELECT} WHERE chain_pos > $1 ORDER BY chain_pos LIMIT $2`, [after, limit]);
    return rows;
  }

  async hasUnsealed(): Promise<boolean> {
    const { rows } = await this.q.query<{ seq: number }>('SELECT seq FROM audit_event WHERE chain_pos IS NULL LIMIT 1');
    return rows.length > 0;
  }

  async countUnsealed(): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>('SELECT count(*)::bigint AS n FROM audit_event WHERE chain_pos IS NULL');
    return rows[0]?.n ?? 0;
  }
}
