import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Database, PoolStats, QueryObserver, QueryResult, Queryable } from './database.js';
import { assertChannelName, withTimeout } from './database.js';

/** Same result parsing as the pg pool (see database.ts). */
const PARSERS = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => v,
};

export interface PgliteOptions {
  /** Folder of the data; undefined means in memory. */
  readonly dataDir?: string | undefined;
  /** A tarball from dumpDataDir() to start from (tests clone a migrated template this way). */
  readonly loadDataDir?: Blob | File | undefined;
}

export async function openPglite(options: PgliteOptions): Promise<PgliteDatabase> {
  const pg = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: PARSERS,
  });
  return new PgliteDatabase(pg);
}

/**
 * PGlite is one connection inside this process. Its own mutex serializes statements, and
 * `transaction()` holds that mutex until commit, so concurrent callers simply queue.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private observer: QueryObserver | undefined;
  private waiting = 0;
  private closed = false;

  constructor(readonly pg: PGlite) {}

  async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.timed(async () => toResult<R>(await this.pg.query<R>(sql, params as unknown[])));
  }

  async exec(sql: string): Promise<unknown[]> {
    const results = await this.timed(() => this.pg.exec(sql));
    return results.at(-1)?.rows ?? [];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx: Transaction) => fn(new PgliteTx(tx)));
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    assertChannelName(channel);
    return this.pg.listen(channel, onMessage);
  }

  async ping(timeoutMs: number): Promise<number> {
    if (this.closed) throw new Error('database closed');
    const started = performance.now();
    await withTimeout(this.pg.query('SELECT 1'), timeoutMs, 'database ping');
    return performance.now() - started;
  }

  poolStats(): PoolStats {
    return { total: 1, idle: this.waiting === 0 ? 1 : 0, waiting: this.waiting };
  }

  observeQueries(observer: QueryObserver): void {
    this.observer = observer;
  }

  /** A consistent tarball of the whole data folder, taken between statements. */
  async dump(): Promise<Blob> {
    return this.pg.dumpDataDir('gzip');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pg.close();
  }

  private async timed<T>(run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.waiting++;
    let ok = false;
    try {
      const result = await run();
      ok = true;
      return result;
    } finally {
      this.waiting--;
      this.observer?.((performance.now() - started) / 1000, ok);
    }
  }
}

class PgliteTx implements Queryable {
  constructor(private readonly tx: Transaction) {}
  async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return toResult<R>(await this.tx.query<R>(sql, params as unknown[]));
  }
  async exec(sql: string): Promise<unknown[]> {
    const results = await this.tx.exec(sql);
    return results.at(-1)?.rows ?? [];
  }
}

function toResult<R>(r: { rows: R[]; affectedRows?: number }): QueryResult<R> {
  return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
}
