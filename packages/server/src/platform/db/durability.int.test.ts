import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { adminUrl } from '../../test-support/postgres-urls.js';
import { createTestDatabase, testBackend, testConfig, type TestDatabase } from '../../test-support/test-database.js';
import { assertDurable, unsafeDurabilitySettings, UnsafeDurabilityError } from './durability.js';

const onPostgres = testBackend() === 'postgres';
const WHY_SKIPPED =
  'PGlite is embedded and always reports fsync=off (it writes its data folder through its own file layer), ' +
  'so there is no server setting an operator could get wrong; the durability check applies to PostgreSQL only';

describe(`durability check on ${testBackend()}`, () => {
  if (!onPostgres) {
    it('refuses unsafe PostgreSQL settings', (ctx) => {
      // Printed as well as noted: the default reporter does not show skip notes.
      process.stdout.write(`durability.int.test.ts skipped: ${WHY_SKIPPED}\n`);
      ctx.skip(WHY_SKIPPED);
    });
    return;
  }

  describe('with synchronous_commit = off on the database', () => {
    let tdb: TestDatabase;
    let dbName: string;

    beforeAll(async () => {
      tdb = await createTestDatabase();
      dbName = new URL(tdb.url ?? '').pathname.slice(1);
      // Per-database setting on a test database of our own: the server's configuration is left alone.
      // It applies to sessions opened from now on, which is why every test below opens new connections.
      const admin = new pg.Client({ connectionString: adminUrl(process.env.CARELINE_TEST_DATABASE_URL ?? '') });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${dbName} SET synchronous_commit = off`);
      } finally {
        await admin.end();
      }
    });
    afterAll(async () => tdb.drop());

    it('is read from a new connection', async () => {
      expect(await unsafeDurabilitySettings(tdb.openAnother())).toEqual(['synchronous_commit=off']);
    });

    it('makes buildApp refuse to start, naming synchronous_commit=off', async () => {
      const started = buildApp(testConfig(), { db: tdb.openAnother() });
      await expect(started).rejects.toBeInstanceOf(UnsafeDurabilityError);
      await expect(started).rejects.toThrow(/PostgreSQL runs with synchronous_commit=off: .*Refusing to start.*CARELINE_ACCEPT_UNSAFE_DURABILITY=true/);
      await expect(started).rejects.toMatchObject({ settings: ['synchronous_commit=off'] });
    });

    it('closes the connections it opened itself when it refuses', async () => {
      const connections = async (): Promise<number> =>
        (
          await tdb.db.query<{ n: number }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'careline'",
          )
        ).rows[0]?.n ?? -1;
      const before = await connections();
      const started = buildApp(testConfig({ DATABASE_URL: tdb.url ?? '' }));
      await expect(started).rejects.toBeInstanceOf(UnsafeDurabilityError);
      // A disconnect reaches pg_stat_activity a moment after the client closed its socket.
      const deadline = Date.now() + 5_000;
      while ((await connections()) > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await connections()).toBe(before);
    });

    it('starts when CARELINE_ACCEPT_UNSAFE_DURABILITY=true, and warns', async () => {
      const lines: string[] = [];
      const logStream = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const app = await buildApp(testConfig({ CARELINE_ACCEPT_UNSAFE_DURABILITY: 'true', CARELINE_LOG_LEVEL: 'warn' }), {
        db: tdb.openAnother(),
        logStream,
      });
      try {
        expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
        const warning = lines.map((l) => JSON.parse(l) as { msg?: string; settings?: string[] }).find((l) => l.msg?.includes('unsafe durability'));
        expect(warning?.settings).toEqual(['synchronous_commit=off']);
      } finally {
        await app.close();
      }
    });

    it('assertDurable names the setting when accepted and throws when not', async () => {
      await expect(assertDurable(tdb.openAnother(), true)).resolves.toEqual(['synchronous_commit=off']);
      await expect(assertDurable(tdb.openAnother(), false)).rejects.toBeInstanceOf(UnsafeDurabilityError);
    });
  });
});
