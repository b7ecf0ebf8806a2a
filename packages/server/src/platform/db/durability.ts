import type { Database } from './database.js';

export class UnsafeDurabilityError extends Error {
  constructor(readonly settings: readonly string[]) {
    super(
      `PostgreSQL runs with ${settings.join(' and ')}: a crash would lose writes Careline already acknowledged. ` +
        'Refusing to start. Fix the server settings, or set CARELINE_ACCEPT_UNSAFE_DURABILITY=true to accept that risk.',
    );
    this.name = 'UnsafeDurabilityError';
  }
}

/** Reads the settings that decide whether a committed write survives a crash. */
export async function unsafeDurabilitySettings(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ fsync: string; sc: string }>(
    "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc",
  );
  const r = rows[0];
  const bad: string[] = [];
  if (r?.fsync === 'off') bad.push('fsync=off');
  if (r?.sc === 'off') bad.push('synchronous_commit=off');
  return bad;
}

export async function assertDurable(db: Database, accept: boolean): Promise<string[]> {
  if (db.kind !== 'postgres') return [];
  const bad = await unsafeDurabilitySettings(db);
  if (bad.length > 0 && !accept) throw new UnsafeDurabilityError(bad);
  return bad;
}
