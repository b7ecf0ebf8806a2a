import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestDatabase, testBackend, testConfig, type TestDatabase } from '../../test-support/test-database.js';
import type { Database } from './database.js';
import { DatabaseNewerThanCodeError, loadMigrations, migrate, MigrationChecksumError, schemaVersion, type Migration } from './migrate.js';

const released = loadMigrations();
const SINGLE_CONNECTION = 'PGlite is one connection inside one process, so there are no separate connections to race';
const latest = Math.max(...released.map((m) => m.version));

function migration(version: number, name: string, sql: string): Migration {
  return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

/**
 * Extra migrations after the released ones. CREATE TABLE without IF NOT EXISTS and a plain INSERT:
 * applied twice, the first fails and the second leaves two rows.
 */
function withExtras(tag: string): Migration[] {
  return [
    ...released,
    migration(latest + 1, 'test_once', `CREATE TABLE test_once_${tag} (id integer PRIMARY KEY); INSERT INTO test_once_${tag} VALUES (1);`),
    migration(latest + 2, 'test_twice', `CREATE TABLE test_twice_${tag} (n integer NOT NULL); INSERT INTO test_twice_${tag} VALUES (2);`),
  ];
}

async function appliedVersions(db: Database): Promise<number[]> {
  return (await db.query<{ version: number }>('SELECT version FROM careline_migration ORDER BY version')).rows.map((r) => r.version);
}

async function resetToReleased(db: Database): Promise<void> {
  const { rows } = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^test_(once|twice)_'");
  for (const r of rows) await db.exec(`DROP TABLE ${r.t}`);
  await db.query('DELETE FROM careline_migration WHERE version > $1', [latest]);
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  return (await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [table])).rows[0]?.ok ?? false;
}

describe(`migrations on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb.drop());
  // Put the database back where the released code expects it, whatever the test left behind.
  afterEach(async () => resetToReleased(tdb.db));

  it('reports the schema version of the migrated template', async () => {
    expect(await schemaVersion(tdb.db)).toBe(latest);
    expect(await appliedVersions(tdb.db)).toEqual(released.map((m) => m.version));
  });

  it('is a no-op when applied again', async () => {
    const before = (await tdb.db.query('SELECT version, checksum, applied_at FROM careline_migration ORDER BY version')).rows;
    for (let i = 0; i < 2; i++) expect(await migrate(tdb.db)).toEqual({ applied: [], current: latest, latestKnown: latest });
    const after = (await tdb.db.query('SELECT version, checksum, applied_at FROM careline_migration ORDER BY version')).rows;
    expect(after).toEqual(before);
  });

  it('applies new migrations once, in order, and then nothing', async () => {
    const list = withExtras('seq');
    expect(await migrate(tdb.db, list)).toEqual({ applied: [latest + 1, latest + 2], current: latest + 2, latestKnown: latest + 2 });
    expect(await migrate(tdb.db, list)).toEqual({ applied: [], current: latest + 2, latestKnown: latest + 2 });
    expect((await tdb.db.query('SELECT count(*) AS n FROM test_twice_seq')).rows).toEqual([{ n: 1 }]);
    expect(await schemaVersion(tdb.db)).toBe(latest + 2);
  });

  it('refuses an edited migration and applies nothing of that run', async () => {
    const first = released[0];
    if (!first) throw new Error('no released migration');
    const edited = migration(first.version, first.name, `${first.sql}\n-- edited after release\n`);
    const list = [edited, ...withExtras('edit').slice(1)];
    const err = await migrate(tdb.db, list).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MigrationChecksumError);
    expect((err as MigrationChecksumError).version).toBe(first.version);
    expect((err as Error).message).toMatch(/differs from the one applied/);
    expect(await tableExists(tdb.db, 'test_once_edit')).toBe(false);
    expect(await schemaVersion(tdb.db)).toBe(latest);
  });

  it('serializes concurrent calls on one Database', async () => {
    const list = withExtras('same');
    const reports = await Promise.all([1, 2, 3, 4].map(() => migrate(tdb.db, list)));
    expect(reports.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual([latest + 1, latest + 2]);
    expect((await tdb.db.query('SELECT count(*) AS n FROM test_twice_same')).rows).toEqual([{ n: 1 }]);
  });

  it('applies each new migration exactly once when instances migrate together on separate connections', async (ctx) => {
    ctx.skip(testBackend() !== 'postgres', SINGLE_CONNECTION);
    const list = withExtras('others');
    const instances = [tdb.db, tdb.openAnother(), tdb.openAnother(), tdb.openAnother()];
    const reports = await Promise.all(instances.map((db) => migrate(db, list)));
    expect(reports.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual([latest + 1, latest + 2]);
    expect(reports.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect((await tdb.db.query('SELECT count(*) AS n FROM test_twice_others')).rows).toEqual([{ n: 1 }]);
  });

  describe('a database newer than the code', () => {
    async function makeNewer(): Promise<void> {
      await tdb.db.query("INSERT INTO careline_migration (version, name, checksum) VALUES ($1, 'from_the_future', 'x')", [latest + 5]);
    }

    it('makes migrate() throw DatabaseNewerThanCodeError', async () => {
      await makeNewer();
      const err = await migrate(tdb.db).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseNewerThanCodeError);
      expect(err).toMatchObject({ databaseVersion: latest + 5, codeVersion: latest });
      expect(await schemaVersion(tdb.db)).toBe(latest + 5);
    });

    it('makes buildApp() refuse to start with a message naming both versions', async () => {
      await makeNewer();
      const started = buildApp(testConfig(), { db: tdb.db });
      await expect(started).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
      await expect(started).rejects.toThrow(
        new RegExp(`schema version ${latest + 5}, newer than this Careline \\(knows up to ${latest}\\)\\. Refusing to start`),
      );
      // The database handed in stays open and usable: the caller owns it.
      expect((await tdb.db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });
});

describe(`migrating an empty database on ${testBackend()}`, () => {
  it('reports version 0 before, then applies every migration', async () => {
    const empty = await createTestDatabase({ empty: true, poolMax: 2 });
    try {
      expect(await schemaVersion(empty.db)).toBe(0);
      const report = await migrate(empty.db);
      expect(report.applied).toEqual(released.map((m) => m.version));
      expect(await schemaVersion(empty.db)).toBe(latest);
    } finally {
      await empty.drop();
    }
  });

  it(
    'lets several instances start together on separate connections: each migration is applied exactly once',
    async (ctx) => {
      ctx.skip(testBackend() !== 'postgres', SINGLE_CONNECTION);
      const empty = await createTestDatabase({ empty: true, poolMax: 2 });
      const instances = [1, 2, 3, 4].map(() => empty.openAnother());
      try {
        const list = withExtras('race');
        const reports = await Promise.all(instances.map((db) => migrate(db, list)));
        const applied = reports.flatMap((r) => r.applied).sort((a, b) => a - b);
        expect(applied).toEqual(list.map((m) => m.version));
        // One instance did the work; the others waited on the lock and found nothing to do.
        expect(reports.filter((r) => r.applied.length > 0)).toHaveLength(1);
        for (const r of reports) expect(r.current).toBe(latest + 2);
        expect(await appliedVersions(empty.db)).toEqual(list.map((m) => m.version));
        expect((await empty.db.query('SELECT count(*) AS n FROM test_twice_race')).rows).toEqual([{ n: 1 }]);
      } finally {
        await empty.drop();
      }
    },
  );
});
