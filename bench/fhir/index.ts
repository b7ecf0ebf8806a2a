// `npm run bench -- fhir [--duration 20] [--connections 10,50] [--patients 1000] [--observations 100000]
//   [--pglite-observations 100000] [--load-budget 240] [--load-bundle 1000] [--load-concurrency 2]
//   [--bundle-size 100] [--bundle-connections 4] [--bundle-duration 15] [--raw-duration 10] [--raw-rows 1000]
//   [--no-postgres] [--no-pglite] [--cpu-prof] [--no-docs]`
// --cpu-prof: each server writes a V8 CPU profile (whole life) to a temp folder, printed at the end.
// The FHIR store under load through the real server, PostgreSQL and PGlite side by side: creates,
// transaction Bundles, search over a large store and reads by id, against the raw INSERT ceiling.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defer, runWithCleanup } from '../lib/cleanup.js';
import { appendSection, benchCommand, BENCHMARKS_FILE, machineNote } from '../lib/report.js';
import { createTempDatabase, postgresReachable } from '../lib/temp-postgres.js';
import { runBackend, type Plan } from './backend-run.js';
import { pgliteOps } from './pglite-ops.js';
import { postgresOps } from './postgres-ops.js';
import { pgliteCeiling } from './raw-pglite.js';
import { postgresCeiling } from './raw-postgres.js';
import { reportBody } from './report-body.js';
import { storedObservationText } from './resources.js';
import type { BackendReport } from './tables.js';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10,50' },
    'raw-duration': { type: 'string', default: '10' },
    'raw-rows': { type: 'string', default: '1000' },
    patients: { type: 'string', default: '1000' },
    'bundle-size': { type: 'string', default: '100' },
    'bundle-connections': { type: 'string', default: '4' },
    'bundle-duration': { type: 'string', default: '15' },
    observations: { type: 'string', default: '100000' },
    'pglite-observations': { type: 'string', default: '100000' },
    'load-bundle': { type: 'string', default: '1000' },
    'load-concurrency': { type: 'string', default: '2' },
    'load-budget': { type: 'string', default: '240' },
    'no-postgres': { type: 'boolean', default: false },
    'no-pglite': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
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
    durationS: positiveInt('duration', opts.duration),
    postConnections: opts.connections.split(',').map((c) => positiveInt('connections', c.trim())),
    bundleSize: positiveInt('bundle-size', opts['bundle-size']),
    bundleConnections: positiveInt('bundle-connections', opts['bundle-connections']),
    bundleDurationS: positiveInt('bundle-duration', opts['bundle-duration']),
    readConnections: 10,
    load: {
      count: positiveInt('observations', opts.observations),
      bundleSize: positiveInt('load-bundle', opts['load-bundle']),
      concurrency: positiveInt('load-concurrency', opts['load-concurrency']),
      budgetMs: positiveInt('load-budget', opts['load-budget']) * 1000,
    },
    nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const profDir = opts['cpu-prof'] ? mkdtempSync(path.join(os.tmpdir(), 'careline-bench-fhir-prof-')) : undefined;
  const plan = planFromOptions(profDir);
  const rawPlan = { connections: plan.postConnections, durationS: positiveInt('raw-duration', opts['raw-duration']), rowsPerStatement: positiveInt('raw-rows', opts['raw-rows']) };
  const content = storedObservationText('bench');
  const reports: BackendReport[] = [];
  const notes: string[] = [];

  const pgVersion = opts['no-postgres'] ? undefined : await postgresReachable();
  if (pgVersion) {
    const name = `PostgreSQL ${pgVersion.split(' ')[0] ?? pgVersion}`;
    process.stdout.write(`${name}: raw INSERT ceiling…\n`);
    const raw = await postgresCeiling(content, rawPlan);
    const db = await createTempDatabase();
    const ops = await postgresOps(db);
    notes.push(`${name} runs with autovacuum=${ops.autovacuum}${ops.autovacuum === 'off' ? ': nothing analyses the tables unless someone runs ANALYZE' : ''}; PGlite has no autovacuum at all.`);
    process.stdout.write(`${name}: Careline on a new temporary database…\n`);
    const run = await runBackend(ops, plan);
    await ops.close();
    await db.drop();
    reports.push({ name, raw, run, bundleGoal: true, target: plan.load.count });
  } else {
    notes.push(opts['no-postgres'] ? 'PostgreSQL skipped (--no-postgres).' : 'PostgreSQL skipped: the local server did not answer.');
  }

  if (!opts['no-pglite']) {
    process.stdout.write('PGlite: raw INSERT ceiling (in this process)…\n');
    const raw = await pgliteCeiling(content, rawPlan);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-fhir-'));
    const removeDir = defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    const pglitePlan: Plan = { ...plan, load: { ...plan.load, count: positiveInt('pglite-observations', opts['pglite-observations']) } };
    process.stdout.write('PGlite: Careline on a new data folder…\n');
    const run = await runBackend(pgliteOps(dir), pglitePlan);
    await removeDir();
    reports.push({ name: 'PGlite (embedded)', raw, run, bundleGoal: false, target: pglitePlan.load.count });
  } else {
    notes.push('PGlite skipped (--no-pglite).');
  }
  if (reports.length === 0) throw new Error('nothing measured');

  const body = reportBody({ command: benchCommand(), machine: machineNote(loadBefore), plan, rawDurationS: rawPlan.durationS, reports, notes });
  process.stdout.write(`\n${body}\n`);
  for (const r of reports) {
    process.stdout.write(`\nSearch plan, ${r.name}, statistics as the server left them:\n${r.run.plan.lines.join('\n')}\n`);
    process.stdout.write(`\nSearch plan, ${r.name}, after ANALYZE:\n${r.run.planAnalyzed.lines.join('\n')}\n`);
  }
  if (profDir) process.stdout.write(`\nServer CPU profiles (one per server, whole life): ${profDir}\n`);
  if (!opts['no-docs']) {
    appendSection('fhir', body);
    process.stdout.write(`\nAppended to ${path.relative(process.cwd(), BENCHMARKS_FILE)}\n`);
  }
}

await runWithCleanup(main);
