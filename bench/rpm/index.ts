// `npm run bench -- rpm [--patients 200] [--cuffs 2] [--runs 3] [--connections 10] [--duration 20]
//   [--batch-size 100] [--batch-connections 4] [--batch-duration 15] [--warmup 3] [--rate 500]
//   [--latency-duration 30] [--light-rate 100] [--alerts-per-s 10] [--raw-duration 10] [--no-postgres] [--no-pglite]
//   [--cpu-prof] [--no-docs]`
// --cpu-prof: each server writes a V8 CPU profile (whole life) to a temp folder, printed at the end.
// Remote patient monitoring ingest through the real server, PostgreSQL and PGlite side by side:
// single-reading webhook and Nightscout batches with the rules evaluated, against the raw INSERT
// ceiling, POST-to-alert-on-WebSocket latency at a fixed rate, and a count of what was stored.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { defer, runWithCleanup } from '../lib/cleanup.js';
import { appendSection, benchCommand, BENCHMARKS_FILE, machineNote } from '../lib/report.js';
import { createTempDatabase, postgresReachable } from '../lib/temp-postgres.js';
import { postgresOps } from '../fhir/postgres-ops.js';
import { runBackend, type Plan } from './backend-run.js';
import { pgliteRaw, postgresRaw, type RawPlan } from './raw.js';
import { reportBody, type BackendReport } from './report-body.js';

const { values: opts } = parseArgs({
  options: {
    patients: { type: 'string', default: '200' },
    cuffs: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '100' },
    'batch-connections': { type: 'string', default: '4' },
    'batch-duration': { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    'latency-duration': { type: 'string', default: '30' },
    'light-rate': { type: 'string', default: '100' },
    'cpu-prof': { type: 'boolean', default: false },
    'alerts-per-s': { type: 'string', default: '10' },
    'raw-duration': { type: 'string', default: '10' },
    'no-postgres': { type: 'boolean', default: false },
    'no-pglite': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a whole number ≥ 1 (got ${raw})`);
  return n;
}

function planFromOptions(profDir: string | undefined): Plan {
  return {
    patients: positiveInt('patients', opts.patients),
    cuffsPerPatient: positiveInt('cuffs', opts.cuffs),
    runs: positiveInt('runs', opts.runs),
    singleConnections: positiveInt('connections', opts.connections),
    singleDurationS: positiveInt('duration', opts.duration),
    batchSize: positiveInt('batch-size', opts['batch-size']),
    batchConnections: positiveInt('batch-connections', opts['batch-connections']),
    batchDurationS: positiveInt('batch-duration', opts['batch-duration']),
    warmupS: positiveInt('warmup', opts.warmup),
    latencyRate: positiveInt('rate', opts.rate),
    latencyDurationS: positiveInt('latency-duration', opts['latency-duration']),
    lightRate: positiveInt('light-rate', opts['light-rate']),
    alertsPerS: positiveInt('alerts-per-s', opts['alerts-per-s']),
    nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const profDir = opts['cpu-prof'] ? mkdtempSync(path.join(os.tmpdir(), 'careline-bench-rpm-prof-')) : undefined;
  const plan = planFromOptions(profDir);
  const rawPlan: RawPlan = {
    singleConnections: plan.singleConnections,
    batchConnections: plan.batchConnections,
    batchSize: plan.batchSize,
    durationS: positiveInt('raw-duration', opts['raw-duration']),
    runs: plan.runs,
  };
  const reports: BackendReport[] = [];
  const notes: string[] = [];

  const pgVersion = opts['no-postgres'] ? undefined : await postgresReachable();
  if (pgVersion) {
    const name = `PostgreSQL ${pgVersion.split(' ')[0] ?? pgVersion}`;
    process.stdout.write(`${name}: raw INSERT ceiling…\n`);
    const raw = await postgresRaw(rawPlan);
    const db = await createTempDatabase();
    const ops = await postgresOps(db);
    process.stdout.write(`${name}: Careline on a new temporary database…\n`);
    const run = await runBackend(
      {
        label: name,
        env: ops.env,
        cpu: async () => (await ops.databaseCpu?.()) ?? new Map<number, number>(),
        withDatabase: async (fn) => {
          const client = new pg.Client({ connectionString: db.url, application_name: 'careline-bench-verify' });
          await client.connect();
          try {
            return await fn(client);
          } finally {
            await client.end();
          }
        },
      },
      plan,
    );
    await ops.close();
    await db.drop();
    reports.push({ name, goals: true, raw, run });
  } else {
    notes.push(opts['no-postgres'] ? 'PostgreSQL skipped (--no-postgres).' : 'PostgreSQL skipped: the local server did not answer.');
  }

  if (!opts['no-pglite']) {
    process.stdout.write('PGlite: raw INSERT ceiling (in this process)…\n');
    const raw = await pgliteRaw(rawPlan);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-rpm-'));
    const removeDir = defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    process.stdout.write('PGlite: Careline on a new data folder…\n');
    const run = await runBackend(
      {
        label: 'PGlite',
        env: { CARELINE_DATA_DIR: dir },
        withDatabase: async (fn) => {
          const db = await PGlite.create({ dataDir: path.join(dir, 'pg') });
          try {
            return await fn({ query: (text, params) => db.query(text, params) });
          } finally {
            await db.close();
          }
        },
      },
      plan,
    );
    await removeDir();
    reports.push({ name: 'PGlite (embedded)', goals: false, raw, run });
  } else {
    notes.push('PGlite skipped (--no-pglite).');
  }
  if (reports.length === 0) throw new Error('nothing measured');

  const body = reportBody({ command: benchCommand(), machine: machineNote(loadBefore), plan, rawDurationS: rawPlan.durationS, reports, notes });
  process.stdout.write(`\n${body}\n`);
  if (profDir) process.stdout.write(`\nServer CPU profiles (one per server, whole life): ${profDir}\n`);
  if (!opts['no-docs']) {
    appendSection('rpm', body);
    process.stdout.write(`\nAppended to ${path.relative(process.cwd(), BENCHMARKS_FILE)}\n`);
  }
}

await runWithCleanup(main);
