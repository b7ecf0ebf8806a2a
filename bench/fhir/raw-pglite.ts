import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { defer } from '../lib/cleanup.js';
import { measureCeiling, RAW_TABLE_DDL, type RawCeiling, type RawPlan, type SqlRunner } from './raw-ceiling.js';

/**
 * The PGlite ceiling, in this process on a new temporary data folder: PGlite is one connection, so
 * "n connections" are n callers queued on it, as the server's requests are. No HTTP, no JSON parsing.
 */
export async function pgliteCeiling(content: string, plan: RawPlan): Promise<RawCeiling> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-raw-pglite-'));
  const removeDir = defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  try {
    const db = await PGlite.create({ dataDir: dir });
    try {
      await db.exec(RAW_TABLE_DDL);
      const runner: SqlRunner = { query: (text, params) => db.query(text, params) };
      return await measureCeiling((n) => Array.from({ length: n }, () => runner), content, plan);
    } finally {
      await db.close();
    }
  } finally {
    await removeDir();
  }
}
