import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { defer } from '../lib/cleanup.js';
import { median } from '../lib/stats.js';
import { createTempDatabase } from '../lib/temp-postgres.js';
import { RAW_TABLE_DDL, type SqlRunner } from '../fhir/raw-ceiling.js';
import { timedLoops } from '../fhir/rate.js';
import { storedObservationText } from '../fhir/resources.js';

/**
 * The raw ceiling of ingest, measured in the same run: the stored text of one Observation inserted
 * with plain statements into a scratch table shaped like fhir_resource (same columns and primary
 * key, no other index, no history, no search rows, no reading index, no audit): one row per
 * autocommit INSERT at the webhook's connection count, and multi-row INSERTs of the batch's size at
 * the batch load's connection count. Each is repeated `runs` times; the figure is the median run.
 */
export interface RawPlan {
  readonly singleConnections: number;
  readonly batchConnections: number;
  readonly batchSize: number;
  readonly durationS: number;
  readonly runs: number;
}

export interface RawFigures {
  /** Rows/s of each run (mean over the run). */
  readonly single: readonly number[];
  readonly batch: readonly number[];
  readonly singleMedian: number;
  readonly batchMedian: number;
}

const SINGLE = `INSERT INTO raw_resource (resource_type, id, version_id, last_updated, content, compartments)
  VALUES ('Observation', $1, 1, $2, $3, $4::text[])`;
const MULTI = `INSERT INTO raw_resource (resource_type, id, version_id, last_updated, content, compartments)
  SELECT 'Observation', u.id, 1, $3, u.content, $4::text[] FROM unnest($1::text[], $2::text[]) AS u(id, content)`;
const WARMUP_S = 2;

async function measure(runnersFor: (n: number) => readonly SqlRunner[], plan: RawPlan, label: string): Promise<RawFigures> {
  const content = storedObservationText('bench');
  const compartments = ['Patient/bench'];
  const contents = Array.from({ length: plan.batchSize }, () => content);
  const single = (n: number, s: number): Promise<number> => {
    const runners = runnersFor(n);
    return timedLoops(n, s, async (caller) => {
      await runners[caller]?.query(SINGLE, [randomUUID(), new Date(), content, compartments]);
      return 1;
    }).then((r) => r.perSecMean);
  };
  const batch = (n: number, s: number): Promise<number> => {
    const runners = runnersFor(n);
    return timedLoops(n, s, async (caller) => {
      await runners[caller]?.query(MULTI, [Array.from({ length: plan.batchSize }, () => randomUUID()), contents, new Date(), compartments]);
      return plan.batchSize;
    }).then((r) => r.perSecMean);
  };
  await single(plan.singleConnections, WARMUP_S);
  const singles: number[] = [];
  const batches: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    singles.push(await single(plan.singleConnections, plan.durationS));
    batches.push(await batch(plan.batchConnections, plan.durationS));
  }
  process.stdout.write(
    `  ${label} raw ceiling: single-row INSERT at ${plan.singleConnections} conn ${singles.map((r) => Math.round(r)).join(' / ')} rows/s; ` +
      `${plan.batchSize}-row INSERT at ${plan.batchConnections} conn ${batches.map((r) => Math.round(r)).join(' / ')} rows/s\n`,
  );
  return { single: singles, batch: batches, singleMedian: median(singles), batchMedian: median(batches) };
}

/** PostgreSQL: its own temporary database (dropped straight after), one `pg` client per connection. */
export async function postgresRaw(plan: RawPlan): Promise<RawFigures> {
  const db = await createTempDatabase();
  const clients: pg.Client[] = [];
  try {
    for (let i = 0; i < Math.max(plan.singleConnections, plan.batchConnections); i++) {
      const client = new pg.Client({ connectionString: db.url, application_name: 'careline-bench-raw' });
      await client.connect();
      clients.push(client);
    }
    await clients[0]?.query(RAW_TABLE_DDL);
    return await measure((n) => clients.slice(0, n), plan, 'PostgreSQL');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await db.drop();
  }
}

/** PGlite: in this process on a new data folder; "connections" are callers queued on its one connection. */
export async function pgliteRaw(plan: RawPlan): Promise<RawFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-rpm-raw-'));
  const removeDir = defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  try {
    const db = await PGlite.create({ dataDir: dir });
    try {
      await db.exec(RAW_TABLE_DDL);
      const runner: SqlRunner = { query: (text, params) => db.query(text, params) };
      return await measure((n) => Array.from({ length: n }, () => runner), plan, 'PGlite');
    } finally {
      await db.close();
    }
  } finally {
    await removeDir();
  }
}
