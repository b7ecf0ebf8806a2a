import pg from 'pg';
import type { Database, PoolStats, QueryObserver, QueryResult, Queryable } from './database.js';
import { assertChannelName, withTimeout } from './database.js';

const NUMBER_PARSER = (v: string): number => Number(v);

/** Same result parsing as PGlite (see database.ts): int8 → number. */
const INT8_OID: number = pg.types.builtins.INT8;
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format: 'text' | 'binary') => unknown;
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? NUMBER_PARSER : defaultParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  readonly url: string;
  readonly poolMax: number;
  readonly onBackgroundError?: (err: Error) => void;
}

/** PostgreSQL through a pg pool; LISTEN on one dedicated connection that reconnects by itself. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private observer: QueryObserver | undefined;
  private readonly listener: Listener;

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      types: TYPES,
      application_name: 'careline',
    });
    // An idle client whose server went away emits 'error' on the pool; without a handler the process dies.
    this.pool.on('error', (err) => options.onBackgroundError?.(err));
    this.listener = new Listener(options.url, (err) => options.onBackgroundError?.(err));
  }

  async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const started = performance.now();
    let ok = false;
    try {
      const r = await this.pool.query<R & pg.QueryResultRow>(sql, params as unknown[]);
      ok = true;
      return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
    } finally {
      this.observer?.((performance.now() - started) / 1000, ok);
    }
  }

  async exec(sql: string): Promise<unknown[]> {
    return lastRows(await this.pool.query(sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new ClientTx(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is unusable: destroy it rather than return it
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    assertChannelName(channel);
    return this.listener.add(channel, onMessage);
  }

  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    // A fresh connection per ping would be slow; the pool's own timeouts plus this race bound it.
    await withTimeout(this.pool.query('SELECT 1'), timeoutMs, 'database ping');
    return performance.now() - started;
  }

  poolStats(): PoolStats {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  observeQueries(observer: QueryObserver): void {
    this.observer = observer;
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.pool.end();
  }
}

class ClientTx implements Queryable {
  constructor(private readonly client: pg.PoolClient) {}
  async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.client.query<R & pg.QueryResultRow>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
  }
  async exec(sql: string): Promise<unknown[]> {
    return lastRows(await this.client.query(sql));
  }
}

/** pg returns an array of results for a multi-statement simple query, one result otherwise. */
function lastRows(r: pg.QueryResult | pg.QueryResult[]): unknown[] {
  const last = Array.isArray(r) ? r.at(-1) : r;
  return last?.rows ?? [];
}

type Handler = (payload: string) => void;

/**
 * One connection holding every LISTEN of this process. When the server goes away it reconnects with
 * backoff and re-issues the LISTENs, so realtime recovers without a restart.
 */
class Listener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 250;

  constructor(private readonly url: string, private readonly onError: (err: Error) => void) {}

  async add(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (first) {
      const client = await this.connect();
      await client.query(`LISTEN ${channel}`);
    }
    return async () => {
      const s = this.handlers.get(channel);
      s?.delete(handler);
      if (s && s.size === 0) {
        this.handlers.delete(channel);
        if (this.client) await this.client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, application_name: 'careline-listen' });
      client.on('notification', (msg) => {
        for (const h of this.handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      client.on('error', (err) => {
        this.onError(err);
        this.dropAndRetry(client);
      });
      client.on('end', () => this.dropAndRetry(client));
      try {
        await client.connect();
      } catch (err) {
        client.removeAllListeners('end');
        await client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      this.backoffMs = 250;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private dropAndRetry(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer || this.handlers.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.reconnect();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      const client = await this.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      this.onError(err as Error);
      if (this.client) {
        const c = this.client;
        this.client = undefined;
        await c.end().catch(() => undefined);
      }
      this.scheduleRetry();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
