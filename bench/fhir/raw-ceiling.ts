import { randomUUID } from 'node:crypto';
import { timedLoops, type RateResult } from './rate.js';

/**
 * The raw ceiling of a write: the same stored Observation text inserted straight into a table shaped
 * like fhir_resource (same columns and primary key; no secondary indexes, no history, no search
 * rows). What Careline writes on top of that is the store's cost.
 */
export interface SqlRunner {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export interface RawCeiling {
  /** Single-row autocommit INSERTs, by number of connections (or callers). */
  readonly singleRow: ReadonlyMap<number, RateResult>;
  readonly multiRow: RateResult;
  readonly rowsPerStatement: number;
}

export interface RawPlan {
  readonly connections: readonly number[];
  readonly durationS: number;
  readonly rowsPerStatement: number;
}

export const RAW_TABLE_DDL = `CREATE TABLE raw_resource (
  resource_type text NOT NULL, id text NOT NULL, version_id bigint NOT NULL, last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false, content text NOT NULL, compartments text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (resource_type, id))`;

const SINGLE = `INSERT INTO raw_resource (resource_type, id, version_id, last_updated, content, compartments)
  VALUES ('Observation', $1, 1, $2, $3, $4::text[])`;
const MULTI = `INSERT INTO raw_resource (resource_type, id, version_id, last_updated, content, compartments)
  SELECT 'Observation', u.id, 1, $3, u.content, $4::text[] FROM unnest($1::text[], $2::text[]) AS u(id, content)`;
const WARMUP_S = 2;

/** Autocommit single-row INSERTs, one loop per runner (one per connection), for durationS. */
export async function singleRowInserts(runners: readonly SqlRunner[], content: string, durationS: number): Promise<RateResult> {
  const compartments = ['Patient/bench'];
  return timedLoops(runners.length, durationS, async (caller) => {
    await runners[caller]?.query(SINGLE, [randomUUID(), new Date(), content, compartments]);
    return 1;
  });
}

/** One INSERT of `rows` rows (ids and contents as arrays, as a bulk loader would send them), repeated. */
export async function multiRowInserts(runner: SqlRunner, content: string, rows: number, durationS: number): Promise<RateResult> {
  const contents = Array.from({ length: rows }, () => content);
  return timedLoops(1, durationS, async () => {
    const ids = Array.from({ length: rows }, () => randomUUID());
    await runner.query(MULTI, [ids, contents, new Date(), ['Patient/bench']]);
    return rows;
  });
}

/**
 * The whole ceiling: single-row at each connection count (after a short warm-up), then multi-row.
 * runnersFor(n) gives n runners: n connections for PostgreSQL, the one PGlite n times.
 */
export async function measureCeiling(runnersFor: (n: number) => readonly SqlRunner[], content: string, plan: RawPlan): Promise<RawCeiling> {
  const singleRow = new Map<number, RateResult>();
  const first = plan.connections[0] ?? 1;
  await singleRowInserts(runnersFor(first), content, WARMUP_S);
  for (const n of plan.connections) {
    const result = await singleRowInserts(runnersFor(n), content, plan.durationS);
    process.stdout.write(`  raw single-row INSERT, ${n} connections: ${Math.round(result.perSecMedian)} rows/s\n`);
    singleRow.set(n, result);
  }
  const [one] = runnersFor(1);
  if (!one) throw new Error('no runner');
  const multiRow = await multiRowInserts(one, content, plan.rowsPerStatement, plan.durationS);
  process.stdout.write(`  raw ${plan.rowsPerStatement}-row INSERT: ${Math.round(multiRow.perSecMedian)} rows/s\n`);
  return { singleRow, multiRow, rowsPerStatement: plan.rowsPerStatement };
}
