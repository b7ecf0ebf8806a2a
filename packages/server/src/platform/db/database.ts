/**
 * The one storage seam. Capability code sees `Database` and `Queryable` only; whether rows live in
 * embedded PGlite or a PostgreSQL server is decided once, in open-database.ts.
 * Both backends speak the same SQL (PostgreSQL 15 is the oldest supported server) and parse
 * result types the same way: int8 → number, numeric → string, json/jsonb → parsed, timestamptz → Date.
 */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements, no parameters (migrations, schema set-up); resolves to the last statement's rows. */
  exec(sql: string): Promise<unknown[]>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export type QueryObserver = (durationSeconds: number, ok: boolean) => void;

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Round trip to the database, rejecting after timeoutMs instead of hanging. */
  ping(timeoutMs: number): Promise<number>;
  poolStats(): PoolStats;
  observeQueries(observer: QueryObserver): void;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** LISTEN takes an identifier, not a parameter: only code-chosen channel names are allowed. */
export function assertChannelName(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${JSON.stringify(channel)}`);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
