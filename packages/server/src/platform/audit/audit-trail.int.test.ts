import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import type { Database, Queryable } from '../db/database.js';
import { AuditTrail } from './audit-trail.js';
import type { DataAccessEvent } from './audit-log.js';

const who = { agent: 'User/u1', requestId: 'req-1' };
const read = (patient: string): DataAccessEvent => ({ interaction: 'read', outcome: 'success', who, patients: [patient], entity: `Observation/${patient.slice(8)}-o` });

/** Runs `sql` as a superuser would to tamper: with the append-only trigger switched off, then on again. */
async function tamper(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only_rows');
    await tx.query(sql, params);
    await tx.exec('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only_rows');
  });
}

async function refused(q: Queryable, sql: string): Promise<string> {
  const err = await q.query(sql).then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  expect(err, sql).toBeDefined();
  return `${err?.code ?? ''} ${err?.message ?? ''}`;
}

/**
 * The audit trail's storage: append-only by trigger on both databases, sealed into a hash chain off the
 * hot path, and verified by walking the chain (HIPAA §164.312(b), (c)(1)).
 */
describe('audit trail', () => {
  let tdb: TestDatabase;
  let trail: AuditTrail;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    trail = new AuditTrail(tdb.db);
  });
  afterAll(async () => {
    await trail.stop();
    await tdb.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows, sealed or not, and a pre-sealed INSERT', async () => {
    await trail.access([read('Patient/p0')]);
    expect(await refused(tdb.db, "UPDATE audit_event SET kind = 'search-type'")).toMatch(/42501 .*append-only/);
    expect(await refused(tdb.db, 'DELETE FROM audit_event')).toMatch(/append-only/);
    expect(await refused(tdb.db, 'TRUNCATE audit_event')).toMatch(/append-only/);
    await trail.seal();
    expect(await refused(tdb.db, "UPDATE audit_event SET content = '{}'")).toMatch(/append-only/);
    // Re-sealing (rewriting the chain columns of a sealed row) is an UPDATE like any other.
    expect(await refused(tdb.db, "UPDATE audit_event SET hash = 'x'")).toMatch(/append-only/);
    expect(await refused(tdb.db, 'DELETE FROM audit_event')).toMatch(/append-only/);
    expect(
      await refused(tdb.db, "INSERT INTO audit_event (id, recorded, action, kind, outcome, content, chain_pos, prev_hash, hash) VALUES (gen_random_uuid(), now(), 'R', 'read', 0, '{}', 999, 'a', 'b')"),
    ).toMatch(/append-only/);
    const { rows } = await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    expect(rows[0]?.n).toBe(1);
  });

  it('seals rows into a chain that verifies, in seq order, with FHIR AuditEvents as content', async () => {
    await trail.access([read('Patient/p1'), read('Patient/p2')]);
    await trail.security({ type: 'login', outcome: 'failure', actor: null, detail: 'bad-credentials', sourceIp: '127.0.0.1' });
    expect(await trail.seal()).toBeGreaterThanOrEqual(3);
    const { rows } = await tdb.db.query<{ seq: number; chain_pos: number; prev_hash: string; hash: string; content: string; kind: string; outcome: number }>(
      'SELECT seq, chain_pos, prev_hash, hash, content, kind, outcome FROM audit_event ORDER BY chain_pos',
    );
    expect(rows.map((r) => r.chain_pos)).toEqual(rows.map((_, i) => i + 1));
    rows.forEach((r, i) => {
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]?.hash);
    });
    const login = rows.find((r) => r.kind === 'login');
    expect(login?.outcome).toBe(4);
    expect(JSON.parse(login?.content ?? '{}')).toMatchObject({
      resourceType: 'AuditEvent',
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110114' },
      subtype: [{ code: '110122' }],
      action: 'E',
      outcome: '4',
      outcomeDesc: 'bad-credentials',
    });
    const r = await trail.verify();
    expect(r).toMatchObject({ ok: true, checked: rows.length, unsealed: 0 });
  });

  it('names the row whose byte was changed by a superuser', async () => {
    await trail.access([read('Patient/p3'), read('Patient/p4'), read('Patient/p5')]);
    await trail.seal();
    const { rows } = await tdb.db.query<{ seq: number; id: string }>("SELECT seq, id::text AS id FROM audit_event WHERE 'Patient/p4' = ANY(patients)");
    const target = rows[0];
    if (!target) throw new Error('no row for p4');
    await tamper(tdb.db, "UPDATE audit_event SET content = replace(content, 'Observation/p4-o', 'Observation/p4-O') WHERE seq = $1", [target.seq]);
    const r = await trail.verify();
    expect(r.ok).toBe(false);
    expect(r.firstBreak).toMatchObject({ seq: target.seq, id: target.id, reason: 'altered' });
    // Put the byte back: the chain verifies again (the hash covers exactly the stored content).
    await tamper(tdb.db, "UPDATE audit_event SET content = replace(content, 'Observation/p4-O', 'Observation/p4-o') WHERE seq = $1", [target.seq]);
    expect((await trail.verify()).ok).toBe(true);
  });

  it('detects a change to a report column (agent)', async () => {
    const { rows } = await tdb.db.query<{ seq: number; id: string; chain_pos: number }>('SELECT seq, id::text AS id, chain_pos FROM audit_event ORDER BY chain_pos');
    const third = rows[2];
    if (!third) throw new Error('too few rows');
    await tamper(tdb.db, "UPDATE audit_event SET agent = 'User/someone-else' WHERE seq = $1", [third.seq]);
    expect((await trail.verify()).firstBreak).toMatchObject({ seq: third.seq, id: third.id, reason: 'altered' });
  });

  it('names the break after a deleted row', async () => {
    const db2 = await createTestDatabase();
    const t2 = new AuditTrail(db2.db);
    try {
      await t2.access(['Patient/a', 'Patient/b', 'Patient/c', 'Patient/d'].map(read));
      await t2.seal();
      const { rows } = await db2.db.query<{ seq: number; id: string; chain_pos: number }>('SELECT seq, id::text AS id, chain_pos FROM audit_event ORDER BY chain_pos');
      const [, victim, next] = rows;
      if (!victim || !next) throw new Error('too few rows');
      await tamper(db2.db, 'DELETE FROM audit_event WHERE seq = $1', [victim.seq]);
      const r = await t2.verify();
      expect(r).toMatchObject({ ok: false, checked: 1, firstBreak: { seq: next.seq, id: next.id, chainPos: next.chain_pos, reason: 'missing' } });
    } finally {
      await t2.stop();
      await db2.drop();
    }
  });

  it('writes the events of concurrent callers in few multi-row INSERTs, and all of them', async () => {
    const db2 = await createTestDatabase();
    let inserts = 0;
    const counting: Database = Object.assign(Object.create(db2.db) as Database, {
      query: (sql: string, params?: readonly unknown[]) => {
        if (sql.includes('INSERT INTO audit_event')) inserts++;
        return db2.db.query(sql, params);
      },
    });
    const t2 = new AuditTrail(counting);
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => t2.access([read(`Patient/c${i}`)])));
      expect(inserts).toBeGreaterThan(0);
      expect(inserts).toBeLessThanOrEqual(5);
      const { rows } = await db2.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
      expect(rows[0]?.n).toBe(200);
      // Every awaited promise resolved after its row was durable: sealing sees them all.
      expect(await t2.seal()).toBe(200);
      expect((await t2.verify()).ok).toBe(true);
    } finally {
      await t2.stop();
      await db2.drop();
    }
  });

  it('fails the callers whose INSERT failed (fail closed), and only them', async () => {
    const db2 = await createTestDatabase();
    let fail = true;
    const flaky: Database = Object.assign(Object.create(db2.db) as Database, {
      query: (sql: string, params?: readonly unknown[]) => {
        if (fail && sql.includes('INSERT INTO audit_event')) return Promise.reject(new Error('disk full'));
        return db2.db.query(sql, params);
      },
    });
    const t2 = new AuditTrail(flaky);
    try {
      await expect(t2.access([read('Patient/x')])).rejects.toThrow('disk full');
      fail = false;
      await expect(t2.access([read('Patient/y')])).resolves.toBeUndefined();
    } finally {
      await t2.stop();
      await db2.drop();
    }
  });
});
