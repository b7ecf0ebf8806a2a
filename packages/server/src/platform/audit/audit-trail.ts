import type { Database, Queryable } from '../db/database.js';
import { chainHash, GENESIS_HASH, type ChainFields } from './audit-chain.js';
import { dataAccessRecord, securityRecord, type AuditRecord } from './audit-event.js';
import type { AuditLog, DataAccessEvent, SecurityEvent } from './audit-log.js';
import { AuditRepository, insertAuditRecords, type ChainRow } from './audit-repository.js';
import { BatchWriter } from './batch-writer.js';

const SEAL_BATCH = 1000;
const VERIFY_PAGE = 2000;

export interface ChainBreak {
  /** The first row that does not verify (or, for 'missing', the first row after the gap). */
  readonly seq: number;
  readonly id: string;
  readonly chainPos: number;
  readonly reason: 'altered' | 'missing' | 'relinked';
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Sealed rows checked. */
  readonly checked: number;
  /** Rows still unsealed after sealing (transactions not yet committed when the sealer ran). */
  readonly unsealed: number;
  readonly firstBreak?: ChainBreak;
}

function fields(r: ChainRow, chainPos: number): ChainFields {
  return {
    chainPos,
    seq: r.seq,
    id: r.id,
    recorded: r.recorded,
    action: r.action,
    kind: r.kind,
    outcome: r.outcome,
    agent: r.agent,
    patients: r.patients,
    organization: r.organization,
    content: r.content,
  };
}

/**
 * The audit trail: AuditLog over the append-only `audit_event` table (migrations/0004_audit.sql).
 *
 * Writers never serialise on the chain: rows are inserted unsealed, inside the transaction they
 * record (writes) or through a group-commit writer (reads). The sealer — a loop on each instance,
 * one at a time across instances by an advisory lock, and on demand before verify — takes unsealed
 * rows in seq order and gives each the next chain position, the previous hash and its own hash.
 * A row committed late simply gets a later position: the chain's order is chain_pos, not seq.
 */
export class AuditTrail implements AuditLog {
  private readonly writer: BatchWriter<AuditRecord>;
  private timer: NodeJS.Timeout | undefined;
  private sealing: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.writer = new BatchWriter((records) => insertAuditRecords(this.db, records));
  }

  async security(event: SecurityEvent, q?: Queryable): Promise<void> {
    await this.record([securityRecord(event)], q);
  }

  async access(events: readonly DataAccessEvent[], q?: Queryable): Promise<void> {
    await this.record(events.map((e) => dataAccessRecord(e)), q);
  }

  /** Writes built records: inside q when given, otherwise batched with concurrent callers'. */
  async record(records: readonly AuditRecord[], q?: Queryable): Promise<void> {
    if (q && q !== this.db) await insertAuditRecords(q, records);
    else await this.writer.add(records);
  }

  /** Starts sealing every intervalMs on this instance. */
  startSealer(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.sealing) return;
      // A cheap look first (partial index on unsealed rows): an idle server opens no transaction.
      const tick = async (): Promise<void> => {
        if (await new AuditRepository(this.db).hasUnsealed()) await this.seal(false);
      };
      tick().catch((err: unknown) => this.onError(err as Error));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the loop and seals what this instance wrote (best effort), so a clean stop leaves no tail unsealed. */
  async stop(): Promise<void> {
    const running = this.timer !== undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.writer.drain();
    await this.sealing?.catch(() => undefined);
    if (running) await this.seal(false).catch((err: unknown) => this.onError(err as Error));
  }

  /**
   * Seals every committed unsealed row; resolves to how many. wait=false gives up at once when
   * another instance is sealing (it will seal these rows too); wait=true queues behind it.
   */
  seal(wait = true): Promise<number> {
    const run = async (): Promise<number> => {
      let total = 0;
      for (;;) {
        const n = await this.db.transaction(async (tx) => {
          const repo = new AuditRepository(tx);
          if (!(await repo.lockSealer(wait))) return 0;
          const rows = await repo.unsealed(SEAL_BATCH);
          if (rows.length === 0) return 0;
          const head = await repo.chainHead();
          let pos = head?.pos ?? 0;
          let prev = head?.hash ?? GENESIS_HASH;
          const sealed = rows.map((r) => {
            pos += 1;
            const hash = chainHash(prev, fields(r, pos));
            const out = { seq: r.seq, pos, prev, hash };
            prev = hash;
            return out;
          });
          await repo.seal(sealed);
          return rows.length;
        });
        total += n;
        if (n < SEAL_BATCH) return total;
      }
    };
    // One sealing pass at a time on this instance; a caller arriving meanwhile runs its own after it.
    const next = (this.sealing ?? Promise.resolve(0)).catch(() => 0).then(run);
    this.sealing = next;
    void next.finally(() => {
      if (this.sealing === next) this.sealing = undefined;
    }).catch(() => undefined);
    return next;
  }

  /** Seals, then walks the whole chain and names the first row that does not verify. */
  async verify(): Promise<VerifyReport> {
    await this.writer.drain();
    await this.seal(true);
    return verifyChain(new AuditRepository(this.db));
  }
}

/** Walks the chain in position order, recomputing every hash. */
export async function verifyChain(repo: AuditRepository): Promise<VerifyReport> {
  let checked = 0;
  let expectedPos = 1;
  let prev = GENESIS_HASH;
  for (;;) {
    const rows = await repo.sealedAfter(expectedPos - 1, VERIFY_PAGE);
    for (const r of rows) {
      const pos = r.chain_pos ?? 0;
      const at = { seq: r.seq, id: r.id, chainPos: pos };
      if (pos !== expectedPos) return { ok: false, checked, unsealed: await repo.countUnsealed(), firstBreak: { ...at, reason: 'missing' } };
      if (r.prev_hash !== prev) return { ok: false, checked, unsealed: await repo.countUnsealed(), firstBreak: { ...at, reason: 'relinked' } };
      const hash = chainHash(prev, fields(r, pos));
      if (hash !== r.hash) return { ok: false, checked, unsealed: await repo.countUnsealed(), firstBreak: { ...at, reason: 'altered' } };
      prev = hash;
      expectedPos += 1;
      checked += 1;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  return { ok: true, checked, unsealed: await repo.countUnsealed() };
}
