// `npm run bench -- startup [--new-runs 3] [--existing-runs 5] [--pg-runs 3] [--duration 10]
//   [--connections 50] [--no-postgres] [--no-docs]`
// How long the real `careline start` takes to answer /readyz, how much memory it holds then, and
// how /healthz throughput compares with a bare node:http server in the same run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defer, runWithCleanup } from '../lib/cleanup.js';
import { appendSection, benchCommand, BENCHMARKS_FILE, machineNote } from '../lib/report.js';
import { createTempDatabase, PG_ADMIN_URL, postgresReachable, type TempDatabase } from '../lib/temp-postgres.js';
import { measureHealthzLoad, measureStarts } from './measure.js';
import { GOAL_READY_MS, GOAL_RSS_MB, loadTable, meetsGoal, startTable, type StartRow } from './tables.js';

const { values: opts } = parseArgs({
  options: {
    'new-runs': { type: 'string', default: '3' },
    'existing-runs': { type: 'string', default: '5' },
    'pg-runs': { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'no-postgres': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a whole number ≥ 1 (got ${raw})`);
  return n;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const newRuns = positiveInt('new-runs', opts['new-runs']);
  const existingRuns = positiveInt('existing-runs', opts['existing-runs']);
  const pgRuns = positiveInt('pg-runs', opts['pg-runs']);
  const load = { durationS: positiveInt('duration', opts.duration), connections: positiveInt('connections', opts.connections) };

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-startup-'));
  defer(`remove ${tmp}`, () => rmSync(tmp, { recursive: true, force: true }));
  const dataDir = (name: string): string => path.join(tmp, name);
  const rows: StartRow[] = [];

  process.stdout.write(`Embedded database, new data folder (${newRuns} runs)…\n`);
  const fresh = await measureStarts('embedded, new', newRuns, async (run) => {
    mkdirSync(dataDir(`new-${run}`));
    return { CARELINE_DATA_DIR: dataDir(`new-${run}`) };
  });
  rows.push({ scenario: 'embedded (PGlite), new data folder', samples: fresh });

  // The folder the first run created and migrated is the "existing" one from here on.
  const existingEnv = { CARELINE_DATA_DIR: dataDir('new-1') };
  process.stdout.write(`Embedded database, existing data folder (${existingRuns} runs)…\n`);
  const existing = await measureStarts('embedded, existing', existingRuns, async () => existingEnv);
  rows.push({ scenario: 'embedded (PGlite), existing data folder', samples: existing, goal: true });

  let postgresNote: string;
  const pgVersion = opts['no-postgres'] ? undefined : await postgresReachable();
  if (pgVersion) {
    process.stdout.write(`PostgreSQL ${pgVersion}, new database each run (${pgRuns} runs)…\n`);
    let last: TempDatabase | undefined;
    const pgFresh = await measureStarts('postgres, new', pgRuns, async () => {
      await last?.drop();
      last = await createTempDatabase();
      return { DATABASE_URL: last.url };
    });
    rows.push({ scenario: `PostgreSQL ${pgVersion}, new database`, samples: pgFresh });
    const migrated = last;
    if (migrated) {
      process.stdout.write(`PostgreSQL, existing database (${pgRuns} runs)…\n`);
      const pgExisting = await measureStarts('postgres, existing', pgRuns, async () => ({ DATABASE_URL: migrated.url }));
      rows.push({ scenario: `PostgreSQL ${pgVersion}, existing database`, samples: pgExisting });
      await migrated.drop();
    }
    postgresNote = ' PostgreSQL rows: a temporary database on the local server (dropped afterwards); RSS is the Careline process only, not the database server.';
  } else {
    postgresNote = opts['no-postgres'] ? ' PostgreSQL rows skipped (--no-postgres).' : ` PostgreSQL rows skipped: ${new URL(PG_ADMIN_URL).host} did not answer.`;
  }

  process.stdout.write(`/healthz under load: ${load.connections} connections × ${load.durationS} s, after a 2 s warm-up, then the raw ceiling…\n`);
  const healthz = await measureHealthzLoad(existingEnv, load);

  const goal = meetsGoal(existing);
  const verdict =
    `Goal for a start on an existing data folder: ready ≤ ${GOAL_READY_MS / 1000} s — **${goal.ready ? 'PASS' : 'FAIL'}**; ` +
    `RSS ≤ ${GOAL_RSS_MB} MB — **${goal.rss ? 'PASS' : 'FAIL'}**.`;
  const body = [
    `Command: \`${benchCommand()}\``,
    '',
    `Machine: ${machineNote(loadBefore)}.`,
    '',
    `Spawns \`node packages/server/bin/careline.js start\` (the server process itself) with CARELINE_PORT=0, ` +
      `CARELINE_LOG_LEVEL=warn, CARELINE_RATE_LIMIT_MAX=0; times spawn → first \`/readyz\` 200 (polled every 10 ms) and reads ` +
      `VmRSS and the server's CPU time (user + system, all threads, from /proc) at that moment; CPU time well below wall time ` +
      `means the start was waiting for a core. The "new" rows include creating and migrating the database.${postgresNote}`,
    '',
    startTable(rows),
    '',
    verdict,
    '',
    `Throughput: autocannon, ${load.connections} connections, ${load.durationS} s, pipelining 1, each target after a 2 s warm-up; ` +
      'latency percentiles are autocannon\'s. The raw ceiling runs in its own process, like Careline.',
    '',
    loadTable(healthz),
  ].join('\n');

  process.stdout.write(`\n${body}\n`);
  if (!opts['no-docs']) {
    appendSection('startup', body);
    process.stdout.write(`\nAppended to ${path.relative(process.cwd(), BENCHMARKS_FILE)}\n`);
  }
}

await runWithCleanup(main);
