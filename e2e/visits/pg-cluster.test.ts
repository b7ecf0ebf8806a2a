import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresBinDir, startPgCluster } from '../support/pg-cluster.js';

describe.runIf(postgresBinDir() ?? (console.warn('\n!! No PostgreSQL server binaries (apt-get install postgresql): the throwaway-cluster test is SKIPPED.\n'), false))(
  'a throwaway PostgreSQL cluster inside the namespace',
  () => {
    it('starts on 127.0.0.1 with durability off, answers, and is gone after stop', async () => {
      const started = Date.now();
      const cluster = await startPgCluster();
      const startMs = Date.now() - started;
      console.log(`throwaway cluster up in ${startMs} ms on port ${cluster.port}`);
      try {
        const client = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 5_000 });
        await client.connect();
        try {
          const r = await client.query<{ fsync: string; listen: string; one: number }>(
            "SELECT current_setting('fsync') AS fsync, current_setting('listen_addresses') AS listen, 1 AS one",
          );
          expect(r.rows[0]).toEqual({ fsync: 'off', listen: '127.0.0.1', one: 1 });
          await client.query('CREATE TABLE t (x int)');
          await client.query('INSERT INTO t VALUES (42)');
          expect((await client.query<{ x: number }>('SELECT x FROM t')).rows).toEqual([{ x: 42 }]);
        } finally {
          await client.end();
        }
      } finally {
        await cluster.stop();
      }
      expect(existsSync(cluster.dir)).toBe(false);
      await expect(new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2_000 }).connect()).rejects.toThrow();
    });
  },
);
