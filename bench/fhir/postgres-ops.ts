import pg from 'pg';
import { defer } from '../lib/cleanup.js';
import { readCpuMs } from '../lib/proc-status.js';
import type { TempDatabase } from '../lib/temp-postgres.js';
import type { BackendOps } from './backend-ops.js';
import { explainSearch } from './explain.js';

/** PostgreSQL: one side connection to the server's temporary database for EXPLAIN, ANALYZE and CPU accounting. */
export async function postgresOps(db: TempDatabase): Promise<BackendOps & { readonly autovacuum: string }> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'careline-bench' });
  await client.connect();
  const close = defer('close the bench connection', () => client.end());
  const { rows: settings } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
  return {
    label: 'PostgreSQL',
    autovacuum: settings[0]?.autovacuum ?? 'unknown',
    env: { DATABASE_URL: db.url },
    explain: (ids) => explainSearch(client, ids),
    analyze: async () => {
      await client.query('ANALYZE');
    },
    databaseCpu: async () => {
      // The backends (and the LISTEN connection) serving Careline, not this one; the server runs on this machine.
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        try {
          cpu.set(pid, readCpuMs(pid));
        } catch {
          // The backend ended between the query and the read.
        }
      }
      return cpu;
    },
    close,
  };
}
