import pg from 'pg';
import type { Database, PoolStats, QueryObserver, QueryResult, Queryable } from './database.js';
import { assertChannelName, withTimeout } from './database.js';

const NUMBER_PARSER = (v: string): number => Number(v);

/**
 * Same result parsing as PGlite (see database.ts and type-parity.int.test.ts): int8 → number, and
 * arrays and intervals as PGlite returns them. pg's own defaults differ there: int8[] → string[],
 * numeric[] → number[] (losing precision numeric exists to keep), interval → an object.
 */
const INT8_OID: number = pg.types.builtins.INT8;
const INTERVAL_OID: number = pg.types.builtins.INTERVAL;
// Array type OIDs are fixed in PostgreSQL's catalog (pg_type.dat); pg-types has no names for them.
const INT8_ARRAY_OID = 1016;
const NUMERIC_ARRAY_OID = 1231;
const INTERVAL_ARRAY_OID = 1187;
const TEXT_ARRAY_OID = 1009;
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format: 'text' | 'binary') => unknown;
type Nested<T> = T | null | Nested<T>[];
/** pg's text[] parser splits any array literal into (nested) strings and NULLs; elements are mapped from there. */
const parseTextArray = defaultParser(TEXT_ARRAY_OID, 'text') as (v: string) => Nested<string>[];
const mapNested = <T>(v: Nested<string>, f: (s: string) => T): Nested<T> => (v === null ? null : Array.isArray(v) ? v.map((x) => mapNested(x, f)) : f(v));
const TEXT_PARSERS = new Map<number, (v: string) => unknown>([
  [INT8_OID, NUMBER_PARSER],
  [INT8_ARRAY_OID, (v) => parseTextArray(v).map((x) => mapNested(x, Number))],
  [NUMERIC_ARRAY_OID, parseTextArray],
  [INTERVAL_OID, (v) => v],
  [INTERVAL_ARRAY_OID, parseTextArray],
]);
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' ? (TEXT_PARSERS.get(oid) ?? defaultParser(oid, 'text')) : defaultParser(oid, 'binary')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  readonly url: string;
  readonly poolMax: number;
  readonly onBackgroundError?: (err: Error) => void;
  /** How often the LISTEN connection proves it still answers (default 15 s; tests shorten it). */
  readonly listenHealthCheckMs?: number;
}

/**
 * Upper bound for the listener's own statements (LISTEN, UNLISTEN, health check). They are instant on
 * a live connection; waiting longer only means the socket is dead and must be replaced.
 */
const LISTENER_STATEMENT_TIMEOUT_MS = 5_000;
/**
 * TCP keepalive after this much silence: lets the OS drop idle sockets whose peer vanished, and keeps
 * NAT and firewall entries from expiring under an idle connection.
 */
const KEEPALIVE_AFTER_MS = 30_000;

/** pg honours query_timeout per query (see its lib/client.js), though @types/pg declares it only per connection. */
interface TimedQueryConfig extends pg.QueryConfig {
  readonly query_timeout: number;
}

/** A statement that fails after ms instead of waiting on a connection that stopped answering. */
function timed(text: string, ms: number): TimedQueryConfig {
  return { text, query_timeout: ms };
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
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS,
      types: TYPES,
      application_name: 'careline',
    });
    // An idle client whose server went away emits 'error' on the pool; without a handler the process dies.
    this.pool.on('error', (err) => options.onBackgroundError?.(err));
    this.listener = new Listener(options.url, options.listenHealthCheckMs ?? 15_000, (err) => options.onBackgroundError?.(err));
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
    // A fresh connection per ping would be slow, so the ping borrows a pooled one, which may be a
    // socket whose peer silently vanished. query_timeout fails such a ping and makes the pool destroy
    // that connection instead of keeping it: without it every such ping pins a pool slot for good and
    // readiness never recovers. The race also bounds the wait for a free connection.
    await withTimeout(this.pool.query(timed('SELECT 1', timeoutMs)), timeoutMs, 'database ping');
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
 * A LISTEN connection only ever receives, so a socket whose peer vanished without a reset (partition,
 * dead NAT entry, failover) would never error: it would just go deaf. A periodic SELECT 1 with a
 * timeout notices that and replaces the connection.
 */
class Listener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private backoffMs = 250;

  constructor(
    private readonly url: string,
    private readonly healthCheckMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  async add(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (first) {
      let client: pg.Client | undefined;
      try {
        client = await this.connect();
        await client.query(timed(`LISTEN ${channel}`, LISTENER_STATEMENT_TIMEOUT_MS));
      } catch (err) {
        // Not listening: forget the handler, so neither a retry nor a later add() assumes otherwise.
        this.remove(channel, handler);
        if (client) this.discard(client);
        throw err;
      }
    }
    return async () => {
      if (!this.remove(channel, handler)) return;
      const c = this.client;
      if (!c) return; // no connection: nothing is listening, and a reconnect will not LISTEN it again
      try {
        await c.query(timed(`UNLISTEN ${channel}`, LISTENER_STATEMENT_TIMEOUT_MS));
      } catch {
        // A connection that cannot UNLISTEN is broken: replace it (if anything still listens).
        this.discard(c);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.healthTimer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      // end() waits for the server to hang up, which a vanished server never does: shutdown must not hang.
      await withTimeout(c.end(), LISTENER_STATEMENT_TIMEOUT_MS, 'closing the listen connection').catch(() => undefined);
    }
  }

  /** Removes one handler; true when it was the channel's last, which should then be UNLISTENed. */
  private remove(channel: string, handler: Handler): boolean {
    const s = this.handlers.get(channel);
    if (!s?.delete(handler) || s.size > 0) return false;
    this.handlers.delete(channel);
    return true;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      const client = new pg.Client({
        connectionString: this.url,
        connectionTimeoutMillis: 5_000,
        keepAlive: true,
        keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS,
        application_name: 'careline-listen',
      });
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
      if (this.closed) {
        // close() ran while this connection was being made: nobody will ever end it otherwise.
        client.removeAllListeners('end');
        await client.end().catch(() => undefined);
        throw new Error('listener closed');
      }
      this.client = client;
      this.backoffMs = 250;
      this.startHealthChecks();
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private startHealthChecks(): void {
    if (this.healthTimer || this.healthCheckMs <= 0) return;
    this.healthTimer = setInterval(() => void this.checkHealth(), this.healthCheckMs);
    this.healthTimer.unref(); // never what keeps the process alive
  }

  private async checkHealth(): Promise<void> {
    const client = this.client;
    if (!client || this.checking || this.closed) return;
    this.checking = true;
    try {
      await client.query(timed('SELECT 1', Math.min(this.healthCheckMs, LISTENER_STATEMENT_TIMEOUT_MS)));
    } catch (err) {
      if (this.client === client) {
        this.onError(new Error(`listen connection unresponsive, replacing it: ${(err as Error).message}`));
        this.discard(client);
      }
    } finally {
      this.checking = false;
    }
  }

  /**
   * Stops using a connection and schedules a reconnect. With a (timed-out) statement still in flight,
   * pg's end() destroys the socket rather than waiting for a goodbye that will not come.
   */
  private discard(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.scheduleRetry();
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
    if (this.closed || this.handlers.size === 0) return;
    let client: pg.Client | undefined;
    try {
      client = await this.connect();
      for (const channel of this.handlers.keys()) await client.query(timed(`LISTEN ${channel}`, LISTENER_STATEMENT_TIMEOUT_MS));
    } catch (err) {
      this.onError(err as Error);
      if (client) this.discard(client);
      else this.scheduleRetry();
    }
  }
}
