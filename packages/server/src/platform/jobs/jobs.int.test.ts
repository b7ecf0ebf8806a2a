import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createTestDatabase, testBackend, type TestDatabase } from '../../test-support/test-database.js';
import { Jobs, PgBossAdapter } from './jobs.js';
import { ANALYZE_FHIR_JOB } from '../../fhir/storage/statistics-job.js';
import { PURGE_BUS_PAYLOADS } from './platform-jobs.js';

/** Polls until check() holds; fails with `what` after timeoutMs so no test waits forever. */
async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe(`jobs through pg-boss on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  let jobs: Jobs;
  const errors: Error[] = [];
  const echoed: { n: number; text: string }[] = [];
  let flakyAttempts = 0;
  let flakyDone = false;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    jobs = new Jobs(tdb.db, (err) => errors.push(err));
    jobs.define<{ n: number; text: string }>({
      name: 'test-echo',
      handler: async (data) => {
        echoed.push(data);
      },
    });
    jobs.define({
      name: 'test-flaky',
      retryLimit: 3,
      handler: async () => {
        flakyAttempts++;
        if (flakyAttempts === 1) throw new Error('first attempt fails on purpose');
        flakyDone = true;
      },
    });
    jobs.define({ name: 'test-later', handler: async () => undefined });
    await jobs.start({ pollingIntervalSeconds: 0.5 });
  });

  afterAll(async () => {
    await jobs.stop();
    await tdb.drop();
  });

  it('refuses bad names, duplicates and definitions after start', () => {
    const fresh = new Jobs(tdb.db);
    expect(() => fresh.define({ name: 'Bad Name', handler: async () => undefined })).toThrow(/invalid job name/);
    fresh.define({ name: 'once', handler: async () => undefined });
    expect(() => fresh.define({ name: 'once', handler: async () => undefined })).toThrow(/defined twice/);
    expect(() => jobs.define({ name: 'too-late', handler: async () => undefined })).toThrow(/before Jobs.start/);
  });

  it('runs a sent job with its data', async () => {
    const id = await jobs.send('test-echo', { n: 42, text: 'héllo' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitUntil('the echo job to run', () => echoed.length > 0);
    expect(echoed).toEqual([{ n: 42, text: 'héllo' }]);
  });

  it('refuses to send a job nobody defined', async () => {
    await expect(jobs.send('nobody-defined-this', {})).rejects.toThrow(/unknown job/);
  });

  it('retries a failing handler', async () => {
    await jobs.send('test-flaky', {});
    // pg-boss backs off 1–2 s before the first retry; polling adds up to half a second.
    await waitUntil('the retried job to succeed', () => flakyDone);
    expect(flakyAttempts).toBe(2);
  });

  it('reports queue depths as numbers', async () => {
    await jobs.send('test-later', {}, { startAfterSeconds: 3600 });
    const depths = await jobs.queueDepths();
    expect(Object.keys(depths).sort()).toEqual(['test-echo', 'test-flaky', 'test-later']);
    for (const v of Object.values(depths)) expect(typeof v).toBe('number');
    expect(depths['test-later']).toBe(1);
  });

  it('has reported no queue errors (the adapter handles every statement pg-boss sends)', () => {
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

describe(`the pg-boss adapter on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb.drop());

  const rowsOf = async (topic: string): Promise<number> =>
    (await tdb.db.query<{ n: number }>('SELECT count(*) AS n FROM careline_bus_payload WHERE topic = $1', [topic])).rows[0]?.n ?? -1;

  it('runs parameterless scripts and returns the last statement’s rows', async () => {
    const adapter = new PgBossAdapter(tdb.db);
    expect(await adapter.executeSql('SELECT 1 AS a; SELECT 2 AS b')).toEqual({ rows: [{ b: 2 }] });
    expect((await adapter.executeSql('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
  });

  it('commits a BEGIN…COMMIT script (pg-boss’s locked statements) as one transaction', async () => {
    const adapter = new PgBossAdapter(tdb.db);
    await adapter.executeSql(`
      BEGIN;
      SET LOCAL lock_timeout = '30s';
      SELECT pg_advisory_xact_lock(42);
      INSERT INTO careline_bus_payload (topic, body) VALUES ('test.adapter.ok', '{}');
      COMMIT;
    `);
    expect(await rowsOf('test.adapter.ok')).toBe(1);
  });

  it('rolls back a failing BEGIN…COMMIT script and leaves the connection usable', async () => {
    const adapter = new PgBossAdapter(tdb.db);
    // Every connection of the pool must stay clean, so fail more often than the pool has connections.
    for (let i = 0; i < 6; i++) {
      await expect(
        adapter.executeSql(`BEGIN; INSERT INTO careline_bus_payload (topic, body) VALUES ('test.adapter.bad', '{}'); SELECT 1/0; COMMIT;`),
      ).rejects.toThrow(/division by zero/);
    }
    expect(await rowsOf('test.adapter.bad')).toBe(0);
    for (let i = 0; i < 6; i++) expect((await tdb.db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(adapter.pending).toBe(0);
  });
});

describe(`job workers on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb.drop());

  it('drains a backlog without waiting a polling interval per job, and one failure spares the rest', async () => {
    const jobs = new Jobs(tdb.db);
    const done: number[] = [];
    jobs.define<{ n: number }>({
      name: 'test-backlog',
      retryLimit: 0,
      handler: async ({ n }) => {
        if (n === 3) throw new Error('job 3 fails on purpose');
        done.push(n);
      },
    });
    // The production polling interval: ten jobs one per poll would take twenty seconds.
    await jobs.start({ pollingIntervalSeconds: 2 });
    try {
      const t0 = performance.now();
      for (let n = 0; n < 10; n++) await jobs.send('test-backlog', { n });
      await waitUntil('nine backlog jobs to complete', () => done.length === 9, 6_000);
      expect(performance.now() - t0).toBeLessThan(6_000);
      expect([...done].sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      expect(await jobs.queueDepths()).toEqual({ 'test-backlog': 0 });
    } finally {
      await jobs.stop();
    }
  });

  it('applies a changed retryLimit to a queue created by an earlier version', async () => {
    const before = new Jobs(tdb.db);
    before.define({ name: 'test-retry-change', retryLimit: 0, handler: async () => undefined });
    await before.start({ pollingIntervalSeconds: 0.5 });
    await before.stop();

    let attempts = 0;
    let succeeded = false;
    const after = new Jobs(tdb.db);
    after.define({
      name: 'test-retry-change',
      retryLimit: 2,
      handler: async () => {
        attempts++;
        if (attempts === 1) throw new Error('first attempt fails on purpose');
        succeeded = true;
      },
    });
    await after.start({ pollingIntervalSeconds: 0.5 });
    try {
      await after.send('test-retry-change', {});
      await waitUntil('the job to be retried under the new limit', () => succeeded);
      expect(attempts).toBe(2);
    } finally {
      await after.stop();
    }
  });

  it('drops the schedule of a job whose definition no longer has a cron', async () => {
    const before = new Jobs(tdb.db);
    before.define({ name: 'test-nightly', cron: '0 3 * * *', handler: async () => undefined });
    await before.start({ pollingIntervalSeconds: 0.5 });
    expect(await before.schedules()).toContainEqual({ name: 'test-nightly', cron: '0 3 * * *' });
    await before.stop();

    const after = new Jobs(tdb.db);
    after.define({ name: 'test-nightly', handler: async () => undefined });
    await after.start({ pollingIntervalSeconds: 0.5 });
    try {
      expect((await after.schedules()).map((s) => s.name)).not.toContain('test-nightly');
    } finally {
      await after.stop();
    }
  });
});

describe(`stopping jobs on ${testBackend()}`, () => {
  it('returns promptly and leaves no query running, so the database can close right after', async () => {
    const tdb = await createTestDatabase();
    const errors: Error[] = [];
    const jobs = new Jobs(tdb.db, (err) => errors.push(err));
    let ran = 0;
    jobs.define({
      name: 'test-tick',
      handler: async () => {
        ran++;
      },
    });
    try {
      await jobs.start({ pollingIntervalSeconds: 0.5 });
      await jobs.send('test-tick', {});
      await waitUntil('the tick job to run', () => ran === 1);
      // Let the workers get back into their polling loop, so stop() meets them mid-cycle.
      await new Promise((resolve) => setTimeout(resolve, 700));
      const started = performance.now();
      await jobs.stop();
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(await jobs.schedules()).toEqual([]);
      expect(await jobs.queueDepths()).toEqual({});
    } finally {
      await tdb.drop();
    }
    // Any statement pg-boss still issued after stop() would now fail on the closed database.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('waits for a running handler before it returns, within its bound', async () => {
    const tdb = await createTestDatabase();
    const jobs = new Jobs(tdb.db);
    let started = false;
    let finished = false;
    jobs.define({
      name: 'test-slow',
      handler: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 800));
        finished = true;
      },
    });
    try {
      await jobs.start({ pollingIntervalSeconds: 0.5 });
      await jobs.send('test-slow', {});
      await waitUntil('the slow job to start', () => started);
      const t0 = performance.now();
      await jobs.stop();
      expect(finished).toBe(true);
      expect(performance.now() - t0).toBeLessThan(6_000);
    } finally {
      await tdb.drop();
    }
  });
});

describe(`platform jobs in the app on ${testBackend()}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CARELINE_JOBS: 'true' }, { jobPollingSeconds: 0.5 });
  });
  afterAll(async () => t.close());

  it('schedules purge-bus-payloads every ten minutes', async () => {
    const schedules = await t.app.platform.jobs.schedules();
    expect(schedules).toContainEqual({ name: PURGE_BUS_PAYLOADS, cron: '*/10 * * * *' });
  });

  it('purges by-reference bus payloads older than an hour and keeps fresh ones', async () => {
    const db = t.app.platform.db;
    await db.query(
      `INSERT INTO careline_bus_payload (topic, body, created_at) VALUES
         ('test.old', '{"x":1}', now() - interval '2 hours'),
         ('test.fresh', '{"x":2}', now() - interval '5 minutes')`,
    );
    await t.app.platform.jobs.send(PURGE_BUS_PAYLOADS, {});
    const topics = async (): Promise<string[]> =>
      (await db.query<{ topic: string }>("SELECT topic FROM careline_bus_payload WHERE topic LIKE 'test.%' ORDER BY topic")).rows.map((r) => r.topic);
    await waitUntil('the purge job to remove the old payload', async () => !(await topics()).includes('test.old'));
    expect(await topics()).toEqual(['test.fresh']);
  });

  it('analyses the FHIR tables on a schedule, so the planner has statistics (PGlite has no autovacuum)', async () => {
    expect(await t.app.platform.jobs.schedules()).toContainEqual({ name: ANALYZE_FHIR_JOB, cron: '*/15 * * * *' });
    const analysed = async (): Promise<number> =>
      (await t.app.platform.db.query<{ n: number }>("SELECT count(*) AS n FROM pg_class WHERE relname = 'fhir_search' AND reltuples >= 0")).rows[0]?.n ?? 0;
    await t.app.platform.jobs.send(ANALYZE_FHIR_JOB, {});
    await waitUntil('ANALYZE to record statistics for fhir_search', async () => (await analysed()) === 1);
  });

  it('counts its queue in queueDepths()', async () => {
    const depths = await t.app.platform.jobs.queueDepths();
    expect(typeof depths[PURGE_BUS_PAYLOADS]).toBe('number');
  });
});
