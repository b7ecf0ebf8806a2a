import type { CarelineConfig } from '../platform/config/config.js';
import { describeConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { unsafeDurabilitySettings } from '../platform/db/durability.js';
import { loadMigrations, schemaVersion } from '../platform/db/migrate.js';

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DoctorReport {
  readonly config: Record<string, unknown>;
  readonly checks: readonly DoctorCheck[];
  readonly ok: boolean;
}

const SUPPORTED_NODE = /^v(20\.(19|[2-9]\d)|22\.(1[2-9]|[2-9]\d)|2[4-9]|[3-9]\d)\./;

/** What `careline doctor` prints: effective config without secrets, and whether the database is usable. */
export async function doctorReport(config: CarelineConfig, db: Database | undefined, dbError?: Error): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  checks.push({
    name: 'node',
    ok: SUPPORTED_NODE.test(process.version),
    detail: `${process.version} (supported: 20.19+, 22.12+, 24+)`,
  });
  if (!db) {
    checks.push({ name: 'database', ok: false, detail: dbError?.message ?? 'not opened' });
  } else {
    try {
      const latency = await db.ping(config.readyTimeoutMs);
      const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      checks.push({ name: 'database', ok: true, detail: `${db.kind}, PostgreSQL ${rows[0]?.v ?? '?'}, round trip ${latency.toFixed(1)} ms` });
      const major = Number((rows[0]?.v ?? '0').split('.')[0]);
      checks.push({ name: 'database-version', ok: major >= 15, detail: major >= 15 ? 'PostgreSQL 15 or newer' : 'PostgreSQL 15 or newer is required' });
      const version = await schemaVersion(db);
      const latest = loadMigrations().reduce((m, x) => Math.max(m, x.version), 0);
      checks.push({
        name: 'schema',
        ok: version <= latest,
        detail: version === latest ? `up to date (version ${version})` : version < latest ? `version ${version}; ${latest} will be applied at start` : `version ${version} is newer than this code (${latest})`,
      });
      if (db.kind === 'postgres') {
        const bad = await unsafeDurabilitySettings(db);
        checks.push({
          name: 'durability',
          ok: bad.length === 0 || config.acceptUnsafeDurability,
          detail: bad.length === 0 ? 'fsync and synchronous_commit on' : `${bad.join(', ')}${config.acceptUnsafeDurability ? ' (accepted by configuration)' : ''}`,
        });
      }
    } catch (err) {
      checks.push({ name: 'database', ok: false, detail: (err as Error).message });
    }
  }
  return { config: describeConfig(config), checks, ok: checks.every((c) => c.ok) };
}
