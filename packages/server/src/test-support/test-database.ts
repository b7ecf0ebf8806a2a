import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type CarelineConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openPglite } from '../platform/db/pglite-database.js';
import { PostgresDatabase } from '../platform/db/postgres-database.js';
import { adminUrl, databaseUrl } from './postgres-urls.js';

export type TestBackend = 'pglite' | 'postgres';

export function testBackend(): TestBackend {
  return process.env.CARELINE_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
  readonly db: Database;
  /** PostgreSQL URL of this test database (undefined on PGlite). */
  readonly url: string | undefined;
  /** Another connection to the same database, as a second server instance would have (PostgreSQL only). */
  openAnother(): Database;
  drop(): Promise<void>;
}

/**
 * A fresh database on the backend of this test project: by default migrated (cloned from the run's
 * template); with `{ empty: true }`, with no Careline tables at all (for migration tests).
 */
export async function createTestDatabase(options: { empty?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  if (testBackend() === 'pglite') {
    const file = inject('pgliteTemplateFile');
    const db = await openPglite(options.empty ? {} : { loadDataDir: new Blob([readFileSync(file)]) });
    return {
      db,
      url: undefined,
      openAnother: () => {
        throw new Error('PGlite has one connection per process; use the postgres backend for multi-instance tests');
      },
      drop: () => db.close(),
    };
  }
  const base = process.env.CARELINE_TEST_DATABASE_URL ?? '';
  const name = `careline_t_${process.ppid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplateDb')}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(base, name);
  const opened: Database[] = [];
  const open = (): Database => {
    const d = new PostgresDatabase({ url, poolMax: options.poolMax ?? 5 });
    opened.push(d);
    return d;
  };
  const db = open();
  return {
    db,
    url,
    openAnother: open,
    async drop() {
      for (const d of opened) await d.close().catch(() => undefined);
      const a = new pg.Client({ connectionString: adminUrl(base) });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Configuration for tests: quiet logs, no jobs unless asked, no rate limit unless asked, cheap password hashing. */
export function testConfig(env: Record<string, string> = {}): CarelineConfig {
  return loadConfig({
    CARELINE_LOG_LEVEL: 'silent',
    CARELINE_JOBS: 'false',
    CARELINE_RATE_LIMIT_MAX: '0',
    CARELINE_PASSWORD_HASH_MEMORY_KIB: '64',
    CARELINE_PASSWORD_HASH_TIME_COST: '1',
    ...env,
  });
}
