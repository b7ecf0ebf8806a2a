import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
  readonly latestKnown: number;
}

/** Folder of versioned SQL files: NNNN_name.sql (the same from src/ under vitest and from dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any fixed 64-bit key; every Careline instance takes the same one, so only one migrates at a time.
const MIGRATION_LOCK_KEY = 7_414_022_001;

export class DatabaseNewerThanCodeError extends Error {
  constructor(readonly databaseVersion: number, readonly codeVersion: number) {
    super(
      `The database is at schema version ${databaseVersion}, newer than this Careline (knows up to ${codeVersion}). ` +
        'Refusing to start: run the newer Careline, or restore a backup taken with this version.',
    );
    this.name = 'DatabaseNewerThanCodeError';
  }
}

export class MigrationChecksumError extends Error {
  constructor(readonly version: number) {
    super(`Migration ${version} differs from the one applied to this database; migrations must never be edited once released.`);
    this.name = 'MigrationChecksumError';
  }
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file) => {
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return {
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two instances starting
 * together serialize: the second waits, then finds nothing to do. Refuses a database newer than the code.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationReport> {
  const latestKnown = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS careline_migration (
      version    integer PRIMARY KEY,
      name       text        NOT NULL,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM careline_migration ORDER BY version',
    );
    const current = rows.reduce((m, r) => Math.max(m, r.version), 0);
    if (current > latestKnown) throw new DatabaseNewerThanCodeError(current, latestKnown);
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const r of rows) {
      const m = known.get(r.version);
      if (m && m.checksum !== r.checksum) throw new MigrationChecksumError(r.version);
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO careline_migration (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(m.version);
    }
    return { applied, current: Math.max(current, ...applied), latestKnown };
  });
}

/** Schema version without changing anything (0 when never migrated). */
export async function schemaVersion(db: Database): Promise<number> {
  // Two statements: a query naming careline_migration fails at parse time when the table is missing,
  // whatever CASE would have chosen at run time.
  const exists = await db.query<{ ok: boolean }>("SELECT to_regclass('careline_migration') IS NOT NULL AS ok");
  if (!exists.rows[0]?.ok) return 0;
  const { rows } = await db.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM careline_migration');
  return rows[0]?.v ?? 0;
}
