import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';
import { withTimeout } from '../db/database.js';

/**
 * Background jobs through pg-boss, on the same database as everything else. pg-boss gets our
 * connection (its `db` adapter option) rather than its own pool, which is what lets it run on PGlite:
 * one process, one serialized connection.
 *
 * pg-boss stores the queues, retries, schedules and maintenance; the worker loop is ours (see
 * `workLoop`), because pg-boss 10's `work()` handles one batch per polling interval, fails a whole
 * batch when one job throws, and records completion without awaiting it.
 */
export interface JobDefinition<T extends object = object> {
  readonly name: string;
  readonly handler: (data: T) => Promise<void>;
  /** Cron expression (UTC) when the job runs on a schedule. */
  readonly cron?: string;
  readonly retryLimit?: number;
}

const JOB_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const DEFAULT_POLLING_SECONDS = 2;
/** How long stop() lets running handlers finish before it stops the queue anyway. */
const STOP_HANDLERS_MS = 5_000;
/** How long stop() waits for statements pg-boss left running (its cron worker, monitors). */
const STOP_STATEMENTS_MS = 2_000;

/**
 * pg-boss's `locked()` statements: BEGIN; SET LOCAL …; advisory lock; work; COMMIT; in one string.
 * Sent as one simple query, a failure after BEGIN leaves the connection inside an aborted transaction:
 * on PGlite that is the whole database, on PostgreSQL a pooled connection handed to the next caller.
 */
const EXPLICIT_TRANSACTION = /^\s*BEGIN\s*;([\s\S]*);\s*COMMIT\s*;?\s*$/i;

/** Adapts Database to pg-boss's `{ executeSql }` and counts statements in flight so stop() can drain them. */
export class PgBossAdapter {
  private inFlight = 0;

  constructor(private readonly db: Database) {}

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    this.inFlight++;
    try {
      if (values && values.length > 0) return await this.db.query(text, values);
      // Parameterless text may hold several statements (pg-boss's schema and maintenance scripts).
      const explicit = EXPLICIT_TRANSACTION.exec(text);
      if (explicit?.[1] !== undefined) {
        // Our transaction() rolls back on failure, so an error cannot leave the connection stuck.
        const body = explicit[1];
        return { rows: await this.db.transaction((tx) => tx.exec(body)) };
      }
      return { rows: await this.db.exec(text) };
    } finally {
      this.inFlight--;
    }
  }

  get pending(): number {
    return this.inFlight;
  }

  /** Resolves once no statement is running, or after timeoutMs; true when drained. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // A timer tick (not a microtask) between checks lets a statement chained on the previous one start first.
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
    return this.inFlight === 0;
  }
}

export class Jobs {
  private readonly definitions = new Map<string, JobDefinition>();
  private boss: PgBoss | undefined;
  private adapter: PgBossAdapter | undefined;
  private loops: Promise<void>[] = [];
  private stopping = false;
  /** Per job name: ends that loop's idle wait early (a job was just sent, or stop() was called). */
  private readonly wakeups = new Map<string, () => void>();
  /** Wake-ups that came while the loop was busy: its next idle wait is skipped, so a send is never slept through. */
  private readonly woken = new Set<string>();

  constructor(private readonly db: Database, private readonly onError: (err: Error) => void = () => undefined) {}

  /** Capabilities register their jobs before start(). */
  define<T extends object>(definition: JobDefinition<T>): void {
    if (!JOB_NAME.test(definition.name)) throw new Error(`invalid job name ${definition.name}`);
    if (this.definitions.has(definition.name)) throw new Error(`job ${definition.name} defined twice`);
    if (this.boss) throw new Error('define jobs before Jobs.start()');
    this.definitions.set(definition.name, definition as unknown as JobDefinition);
  }

  get names(): string[] {
    return [...this.definitions.keys()];
  }

  async start(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
    if (this.boss) throw new Error('jobs already started');
    const pollingSeconds = options.pollingIntervalSeconds ?? DEFAULT_POLLING_SECONDS;
    if (!(pollingSeconds > 0)) throw new Error('pollingIntervalSeconds must be positive');
    const adapter = new PgBossAdapter(this.db);
    const boss = new PgBoss({
      db: adapter,
      schema: 'pgboss',
      // Cron is evaluated in UTC by pg-boss; schedules are stored in its schema.
      cronMonitorIntervalSeconds: 30,
    });
    boss.on('error', (err: Error) => this.onError(err));
    await boss.start();
    try {
      for (const def of this.definitions.values()) {
        const queue = { name: def.name, retryLimit: def.retryLimit ?? 3, retryBackoff: true };
        // createQueue ignores an existing queue; updateQueue makes a changed retryLimit take effect.
        await boss.createQueue(def.name, queue);
        await boss.updateQueue(def.name, queue);
        if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
      }
      // The code is the source of truth for schedules: one it no longer declares would keep filling a queue nobody works.
      for (const s of await boss.getSchedules()) {
        if (!this.definitions.get(s.name)?.cron) await boss.unschedule(s.name);
      }
    } catch (err) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      throw err;
    }
    this.boss = boss;
    this.adapter = adapter;
    this.stopping = false;
    this.woken.clear();
    this.loops = [...this.definitions.values()].map((def) => this.workLoop(boss, def, pollingSeconds * 1000));
  }

  async send(name: string, data: object, options: { startAfterSeconds?: number; singletonKey?: string } = {}): Promise<string | null> {
    if (!this.boss) throw new Error('jobs not started');
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    const id = await this.boss.send(name, data, {
      ...(options.startAfterSeconds !== undefined ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
    });
    // This instance runs it at once instead of at its next poll (another instance may still win it).
    if (id !== null && options.startAfterSeconds === undefined) this.wake(name);
    return id;
  }

  async schedules(): Promise<{ name: string; cron: string }[]> {
    if (!this.boss) return [];
    return (await this.boss.getSchedules()).map((s) => ({ name: s.name, cron: s.cron }));
  }

  async queueDepths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    if (!this.boss) return out;
    for (const name of this.definitions.keys()) out[name] = await this.boss.getQueueSize(name);
    return out;
  }

  /**
   * Stops fetching, lets running handlers finish (bounded), stops pg-boss, then waits (bounded) for
   * statements still in flight, so the caller may close the database right after.
   */
  async stop(): Promise<void> {
    const boss = this.boss;
    const adapter = this.adapter;
    if (!boss || !adapter) return;
    this.boss = undefined;
    this.adapter = undefined;
    this.stopping = true;
    for (const name of this.definitions.keys()) this.wake(name);
    const loops = Promise.allSettled(this.loops);
    this.loops = [];
    // A handler still running after the bound keeps its job active; pg-boss expires and retries it.
    await withTimeout(loops, STOP_HANDLERS_MS, 'waiting for running jobs').catch((err: unknown) => this.onError(err as Error));
    await boss.stop({ graceful: true, wait: true, timeout: 1_000 });
    if (!(await adapter.drained(STOP_STATEMENTS_MS))) {
      this.onError(new Error(`${adapter.pending} job queue statement(s) still running after stop`));
    }
  }

  /**
   * One loop per job name on this instance: fetch one job, run it, record the outcome, and fetch
   * again at once while there is work; sleep the polling interval only when the queue is empty.
   */
  private async workLoop(boss: PgBoss, def: JobDefinition, idleMs: number): Promise<void> {
    while (!this.stopping) {
      let job: PgBoss.Job | undefined;
      try {
        [job] = await boss.fetch<object>(def.name, { batchSize: 1 });
      } catch (err) {
        this.onError(err as Error);
      }
      if (job) await this.runOne(boss, def, job);
      else await this.idle(def.name, idleMs);
    }
  }

  private async runOne(boss: PgBoss, def: JobDefinition, job: PgBoss.Job): Promise<void> {
    let failure: Error | undefined;
    try {
      // pg-boss would expire the job after expireInSeconds and hand it out again; stop waiting then too.
      const limitMs = job.expireInSeconds * 1000;
      await (limitMs > 0 ? withTimeout(def.handler(job.data), limitMs, `job ${def.name}`) : def.handler(job.data));
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
    try {
      // The message is stored as the job's output, where an operator inspecting the queue reads it.
      if (failure) await boss.fail(def.name, job.id, { message: failure.message });
      else await boss.complete(def.name, job.id);
    } catch (err) {
      // The job stays active; pg-boss's maintenance expires it and it is retried.
      this.onError(err as Error);
    }
  }

  private idle(name: string, ms: number): Promise<void> {
    if (this.stopping || this.woken.delete(name)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeups.delete(name);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.set(name, done);
    });
  }

  private wake(name: string): void {
    const waiting = this.wakeups.get(name);
    if (waiting) waiting();
    else this.woken.add(name);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
