import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { BackendOps } from './backend-ops.js';
import { explainSearch } from './explain.js';

async function withFolder<T>(dataDir: string, fn: (db: PGlite) => Promise<T>): Promise<T> {
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pg') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** PGlite: EXPLAIN and ANALYZE open the server's data folder here, so only while the server is stopped (one process per folder). */
export function pgliteOps(dataDir: string): BackendOps {
  return {
    label: 'PGlite',
    env: { CARELINE_DATA_DIR: dataDir },
    explain: (ids) => withFolder(dataDir, (db) => explainSearch({ query: (text, params) => db.query(text, params) }, ids)),
    analyze: () => withFolder(dataDir, async (db) => {
      await db.exec('ANALYZE');
    }),
    close: async () => undefined,
  };
}
