import type { CarelineConfig } from '../config/config.js';
import type { Database } from './database.js';
import { openPglite } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

/** The only place that decides which backend serves the configuration. */
export async function openDatabase(config: CarelineConfig, onBackgroundError?: (err: Error) => void): Promise<Database> {
  if (config.database.kind === 'postgres') {
    return new PostgresDatabase({ url: config.database.url, poolMax: config.database.poolMax, ...(onBackgroundError ? { onBackgroundError } : {}) });
  }
  return openPglite({ dataDir: config.database.dataDir });
}
