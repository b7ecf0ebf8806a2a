import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { defer } from './cleanup.js';

/** Where temp databases are created; override with CARELINE_BENCH_PG_ADMIN_URL. */
export const PG_ADMIN_URL = process.env.CARELINE_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether the admin server answers; the PostgreSQL rows are skipped (and say so) when it does not. */
export async function postgresReachable(): Promise<string | undefined> {
  try {
    return await withAdmin(async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version);
  } catch {
    return undefined;
  }
}

/** Creates an empty database with a unique name; it is dropped at cleanup even if the bench fails. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `careline_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  // FORCE ends sessions a crashed server may have left behind (PostgreSQL 13+).
  const drop = defer(`drop database ${name}`, () => withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }));
  return { name, url: url.toString(), drop };
}
