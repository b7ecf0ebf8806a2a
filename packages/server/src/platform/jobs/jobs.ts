import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * Background jobs through pg-boss, on the same database as everything else. pg-boss gets our
 * connection (its `db` adapter option) rather than its own pool, which is what lets it run on PGlite:
 * one process, one serialized connection.
 */
export interface JobDefinition<T extends object = object> {
  readonly name: string;
  readonly handler: (data: T) => Promise<void>;
  /** Cron expression (UTC) when the job runs on a schedule. */
  readonly cron?: string;
  readonly retryLimit?: number;
}

const JOB_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Adapts Database to pg-boss's `{ executeSql }`: parameterless text may hold several statements. */
export function pgBossAdapter(db: Database): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text: string, values?: unknown[]) {
      // pg-boss's schema scripts are several statements without parameters: exec handles those.
      if (!values || values.length === 0) return { rows: await db.exec(text) };
      return db.query(text, values);
    },
  };
}

export class Jobs {
  private readonly definitions = new Map<string, JobDefinition>();
  private boss: PgBoss | undefined;

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
    const boss = new PgBoss({
      db: pgBossAdapter(this.db),
      schema: 'pgboss',
      // Cron is evaluated in UTC by pg-boss; schedules are stored in its schema.
      cronMonitorIntervalSeconds: 30,
    });
    boss.on('error', (err: Error) => this.onError(err));
    await boss.start();
    this.boss = boss;
    for (const def of this.definitions.values()) {
      await boss.createQueue(def.name, { name: def.name, retryLimit: def.retryLimit ?? 3, retryBackoff: true });
      await boss.work<object>(def.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await def.handler(job.data);
      });
      if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
    }
  }

  async send(name: string, data: object, options: { startAfterSeconds?: number; singletonKey?: string } = {}): Promise<string | null> {
    if (!this.boss) throw new Error('jobs not started');
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    return this.boss.send(name, data, {
      ...(options.startAfterSeconds !== undefined ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
    });
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

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    if (boss) await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  }
}
