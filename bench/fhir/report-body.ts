import type { Plan } from './backend-run.js';
import { goalLines } from './goals.js';
import { dataTable, httpTable, rawTable, type BackendReport } from './tables.js';

export interface ReportInput {
  readonly command: string;
  readonly machine: string;
  readonly plan: Plan;
  readonly rawDurationS: number;
  readonly reports: readonly BackendReport[];
  readonly notes: readonly string[];
}

/** The section appended to docs/BENCHMARKS.md (and printed). */
export function reportBody(r: ReportInput): string {
  const p = r.plan;
  const smaller = r.reports.filter((b) => b.run.observationsAtSearch < b.target * 0.95).map((b) => b.name);
  return [
    `Command: \`${r.command}\``,
    '',
    `Machine: ${r.machine}.`,
    '',
    'Spawns `node packages/server/bin/careline.js start` with CARELINE_INSECURE_OPEN_FHIR=true (open FHIR API, permissive policy), ' +
      'CARELINE_JOBS=false, CARELINE_RATE_LIMIT_MAX=0, CARELINE_LOG_LEVEL=warn: PostgreSQL on a new temporary database (pool of 20, the default), ' +
      `PGlite on a new data folder. ${p.patients.toLocaleString('en-US')} Patients are created first (transaction Bundles); every Observation is the BP panel ` +
      '(LOINC 85354-9 with 8480-6 / 8462-4) of a random one of them, with a random date in the last two years, built afresh for each request. ' +
      `Each load is autocannon, pipelining 1, after a 3 s warm-up of the same load: ${p.durationS} s (Bundles ${p.bundleDurationS} s). ` +
      'CPU: the Careline process\'s CPU time over the run divided by its wall time (1.00 = one core busy), plus, for PostgreSQL, that of the ' +
      'backends connected to its database (from /proc); per request, that CPU time over the requests served: it moves much less than ' +
      'throughput when other work shares the cores. After the read run the server stops, the bench runs ANALYZE on its database and ' +
      'restarts it for the second search run.',
    '',
    'Raw ceiling: the stored text of one Observation inserted with `pg` into its own temporary database, or with @electric-sql/pglite in the bench ' +
      'process on a new data folder (its "connections" are callers queued on its one connection; no HTTP), into a table with fhir_resource\'s columns ' +
      `and primary key but no other index, no history and no search rows; ${r.rawDurationS} s each, after a 2 s warm-up.`,
    '',
    rawTable(r.reports, p),
    '',
    httpTable(r.reports, p),
    '',
    `Search: \`GET /fhir/R4/Observation?subject=Patient/X&code=85354-9&_sort=-date&_count=20\`, X random among the Patients; ` +
      `read: \`GET /fhir/R4/Observation/ID\`, ID random among (up to 20,000 of) the bulk-loaded ones. The search store holds the Observations of the ` +
      `create and Bundle runs plus a bulk load up to the target.${smaller.length > 0 ? ` **Smaller data set for ${smaller.join(', ')}**: the bulk load stopped at its time budget.` : ''}`,
    '',
    dataTable(r.reports, p),
    '',
    'Goals:',
    '',
    ...goalLines(r.reports, p),
    ...(r.notes.length > 0 ? ['', ...r.notes] : []),
  ].join('\n');
}
