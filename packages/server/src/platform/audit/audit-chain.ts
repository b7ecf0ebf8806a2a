import { createHash } from 'node:crypto';

/**
 * The hash chain over audit_event rows. Each sealed row's hash covers the previous row's hash and
 * every column of the row (so changing a report column is caught as surely as changing the
 * AuditEvent JSON); verify recomputes them in chain order and names the first row that differs.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** A row's columns as hashed. `recorded` is the database's own UTC text (microseconds), not a JS Date. */
export interface ChainFields {
  readonly chainPos: number;
  readonly seq: number;
  readonly id: string;
  readonly recorded: string;
  readonly action: string;
  readonly kind: string;
  readonly outcome: number;
  readonly agent: string | null;
  readonly patients: readonly string[];
  readonly organization: string | null;
  readonly content: string;
}

export function chainHash(prevHash: string, row: ChainFields): string {
  // A JSON array is an unambiguous encoding: no separator can be forged by a field's content.
  const canonical = JSON.stringify([
    prevHash,
    row.chainPos,
    row.seq,
    row.id,
    row.recorded,
    row.action,
    row.kind,
    row.outcome,
    row.agent,
    row.patients,
    row.organization,
    row.content,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
