import { markdownTable } from '../lib/report.js';
import { formatInt, formatRatio, max, median, min } from '../lib/stats.js';
import { percentile, type LatencyResult } from './alert-latency.js';
import type { BackendResult, LoadFigures, Plan } from './backend-run.js';
import type { RawFigures } from './raw.js';

export interface BackendReport {
  readonly name: string;
  /** Goals are PostgreSQL's (issue #7); PGlite rows are for comparison. */
  readonly goals: boolean;
  readonly raw: RawFigures;
  readonly run: BackendResult;
}

export const GOAL_SINGLE_PER_S = 1200;
export const GOAL_BATCH_PER_S = 10_000;
export const GOAL_ALERT_P99_MS = 50;

const verdict = (ok: boolean): string => (ok ? '**PASS**' : '**FAIL**');
const ms = (v: number): string => (Number.isNaN(v) ? '—' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);
const load = (l: readonly number[]): string => l.map((n) => n.toFixed(2)).join(' / ');

function cores(f: LoadFigures): string {
  const server = median(f.runs.map((r) => r.serverCores));
  const dbs = f.runs.flatMap((r) => (r.databaseCores === undefined ? [] : [r.databaseCores]));
  return dbs.length > 0 ? `${server.toFixed(2)} + ${median(dbs).toFixed(2)}` : server.toFixed(2);
}

function cpuPerReading(f: LoadFigures): string {
  const per = (c: number | undefined, r: { readingsPerS: number }): number => ((c ?? 0) * 1000) / r.readingsPerS;
  const server = median(f.runs.map((r) => per(r.serverCores, r)));
  const dbs = f.runs.flatMap((r) => (r.databaseCores === undefined ? [] : [per(r.databaseCores, r)]));
  return dbs.length > 0 ? `${server.toFixed(2)} + ${median(dbs).toFixed(2)}` : server.toFixed(2);
}

function loadRow(what: string, b: BackendReport, f: LoadFigures, raw: number, goal: number | undefined): string[] {
  const rates = f.runs.map((r) => r.readingsPerS);
  const nonOk = f.runs.reduce((n, r) => n + r.non2xx, 0);
  const errors = f.runs.reduce((n, r) => n + r.errors, 0);
  const goalCell = goal === undefined || !b.goals ? '—' : `≥ ${formatInt(goal)}/s: ${verdict(f.readingsPerS >= goal)}`;
  return [
    what, b.name, formatInt(f.readingsPerS), `${formatInt(min(rates))} – ${formatInt(max(rates))}`,
    `${ms(median(f.runs.map((r) => r.latencyP50Ms)))} / ${ms(median(f.runs.map((r) => r.latencyP99Ms)))}`,
    `${errors} / ${nonOk}`, cores(f), cpuPerReading(f), formatInt(raw), formatRatio(f.readingsPerS / raw), goalCell,
  ];
}

/** The goal is at 500 readings/s: a lower rate cannot pass it, whatever its latency. */
function alertGoalMet(l: LatencyResult, p99: number): boolean {
  return l.plan.ratePerS >= 500 && l.achievedPerS >= 0.95 * l.plan.ratePerS && p99 <= GOAL_ALERT_P99_MS && l.missingAlerts === 0;
}

export function reportBody(input: { command: string; machine: string; plan: Plan; rawDurationS: number; reports: readonly BackendReport[]; notes: readonly string[] }): string {
  const { plan, reports } = input;
  const throughput = markdownTable(
    ['Load', 'Backend', `readings/s (median of ${plan.runs} runs)`, 'min – max', 'request latency p50 / p99', 'errors / non-2xx', 'CPU cores busy: server + PostgreSQL', 'CPU ms per reading: server + PostgreSQL', 'raw ceiling, rows/s (same conn)', 'Careline / raw', 'Goal'],
    reports.flatMap((b) => [
      loadRow(`webhook, 1 reading per POST, ${plan.singleConnections} conn`, b, b.run.single, b.raw.singleMedian, GOAL_SINGLE_PER_S),
      loadRow(`Nightscout entries, ${plan.batchSize} per POST, ${plan.batchConnections} conn`, b, b.run.batch, b.raw.batchMedian, GOAL_BATCH_PER_S),
    ]),
  );
  const latency = markdownTable(
    ['Backend', 'rate', 'achieved readings/s', 'alerts timed', 'POST start → alert on WebSocket p50 / p99 / max', 'crossing POST → its 201, p50 / p99', 'every POST p50 / p99', 'alerts missing', 'readings behind schedule', 'Goal'],
    reports.flatMap((b) =>
      b.run.latency.map(({ result: l, rateNote }, i) => {
        const p99 = percentile(l.alertMs, 99);
        return [
          b.name, rateNote, formatInt(l.achievedPerS), String(l.alertMs.length),
          `${ms(percentile(l.alertMs, 50))} / ${ms(p99)} / ${ms(max(l.alertMs.length > 0 ? l.alertMs : [Number.NaN]))}`,
          `${ms(percentile(l.crossingPostMs, 50))} / ${ms(percentile(l.crossingPostMs, 99))}`,
          `${ms(percentile(l.postMs, 50))} / ${ms(percentile(l.postMs, 99))}`,
          String(l.missingAlerts), String(l.behind),
          b.goals && i === 0 ? `p99 ≤ ${GOAL_ALERT_P99_MS} ms at 500/s: ${verdict(alertGoalMet(l, p99))}` : '—',
        ];
      }),
    ),
  );
  const integrity = markdownTable(
    ['Backend', 'readings built (sent or cut off at a run\'s end)', 'acknowledged (2xx, distinct Observation ids)', 'Observations stored from the bench\'s devices', 'distinct reading keys among them', 'acknowledged but not stored', 'duplicates', 'reading-index rows (distinct Observations)'],
    reports.map((b) => {
      const i = b.run.integrity;
      return [b.name, formatInt(i.sent), formatInt(i.acknowledged), formatInt(i.stored), formatInt(i.distinctKeys), String(i.missing), String(i.stored - i.distinctKeys), formatInt(i.indexed)];
    }),
  );
  const raw = markdownTable(
    ['Raw ceiling (rows/s, each run\'s mean)', ...reports.map((b) => b.name)],
    [
      [`single-row autocommit INSERT, ${plan.singleConnections} conn`, ...reports.map((b) => `${formatInt(b.raw.singleMedian)} (${b.raw.single.map(formatInt).join(', ')})`)],
      [`${plan.batchSize}-row INSERT, ${plan.batchConnections} conn`, ...reports.map((b) => `${formatInt(b.raw.batchMedian)} (${b.raw.batch.map(formatInt).join(', ')})`)],
    ],
  );
  const goals: string[] = [];
  for (const b of reports.filter((r) => r.goals)) {
    const single = b.run.single.readingsPerS;
    const batch = b.run.batch.readingsPerS;
    goals.push(`- ${b.name}: single-reading webhook ≥ ${formatInt(GOAL_SINGLE_PER_S)} readings/s — ${formatInt(single)}/s: ${verdict(single >= GOAL_SINGLE_PER_S)}`);
    goals.push(`- ${b.name}: Nightscout batches of ${plan.batchSize} ≥ ${formatInt(GOAL_BATCH_PER_S)} readings/s — ${formatInt(batch)}/s: ${verdict(batch >= GOAL_BATCH_PER_S)}`);
    const first = b.run.latency[0];
    if (first) {
      const l = first.result;
      const p99 = percentile(l.alertMs, 99);
      const light = b.run.latency[1];
      const lightNote = light ? `; at ${light.rateNote} p99 ${ms(percentile(light.result.alertMs, 99))}` : '';
      goals.push(`- ${b.name}: POST → alert p99 ≤ ${GOAL_ALERT_P99_MS} ms at 500 readings/s — measured at ${first.rateNote}: p99 ${ms(p99)}${l.missingAlerts > 0 ? `, ${l.missingAlerts} alerts never arrived` : ''}${lightNote}: ${verdict(alertGoalMet(l, p99))}`);
    }
  }
  const integrityOk = reports.every((b) => b.run.integrity.missing === 0 && b.run.integrity.stored === b.run.integrity.distinctKeys);
  return [
    `Command: \`${input.command}\``,
    '',
    `Machine: ${input.machine}.`,
    '',
    reports.map((b) => `${b.name}: load average (1/5/15 min) at its start ${load(b.run.load.before)}, at its end ${load(b.run.load.after)}.`).join(' '),
    '',
    `Spawns \`node packages/server/bin/careline.js start\` (CARELINE_JOBS=false, CARELINE_RATE_LIMIT_MAX=0, CARELINE_LOG_LEVEL=warn; no open FHIR: every call is authenticated and audited) on a new temporary PostgreSQL database and on a new PGlite data folder. ` +
      `Set-up through the API: the demo clinic (\`POST /api/setup/demo\`, ${formatInt(plan.patients)} patients), its clinician dr.ortiz signed in (TOTP enrolled, recovery code), every patient enrolled in hypertension and diabetes-cgm, ${plan.cuffsPerPatient} BP cuff(s) and one CGM uploader per patient (\`POST /api/monitoring/devices\`; the per-device limit of 600 requests a minute is why there are several cuffs). ` +
      'Every reading is distinct (own id, own time) and spread round-robin over the devices; the rules run on each (one enrolment query, one history query, evaluation). Reading times walk forward from 360 days ago at a realistic spacing (BP every 4 h per patient, CGM every 5 min per uploader), because the rules read each patient\'s history from 15 days before the reading onwards. ' +
      `Webhook readings are BP without pulse (one reading, one Observation), systolic 110–150; Nightscout entries are xDrip+-shaped \`sgv\` 80–250 mg/dL, sent with \`api-secret\` = SHA-1 hex. ` +
      `Loads: autocannon, pipelining 1, a ${plan.warmupS} s warm-up, then ${plan.runs} runs (webhook ${plan.singleDurationS} s, batches ${plan.batchDurationS} s); readings/s counts acknowledged readings only. CPU: the server's CPU time over the run's wall time (1.00 = one core), plus its PostgreSQL backends' (from /proc).`,
    '',
    throughput,
    '',
    `Raw ceiling, in the same run just before each backend: a BP Observation's stored text inserted with plain statements (\`pg\`; PGlite in the bench process, its "connections" queued on its one connection) into a scratch table shaped like fhir_resource (same columns and primary key; no other index, no history, search, reading-index or audit rows), ${plan.runs} runs of ${input.rawDurationS} s after a 2 s warm-up.`,
    '',
    raw,
    '',
    `Alert latency: webhook POSTs at a fixed rate (node:http, keep-alive, at most 64 in flight; a reading that finds all 64 busy is counted as behind schedule and skipped) for ${plan.warmupS} s unmeasured + ${plan.latencyDurationS} s, at two rates (the asked one or the highest the backend sustained, then a light one), while dr.ortiz's WebSocket (\`/ws\`, bearer token) is subscribed to \`practitioner.<id>.alerts\`. ${plan.alertsPerS} readings a second (one in rate ÷ ${plan.alertsPerS}) have systolic 182–199 (≥ 180: hypertension:systolic-high) for a patient with no open alert; the time is from the POST's start to the alert's arrival; then the bench resolves the alert (\`POST /api/monitoring/alerts/:id/resolve\`) so the patient can be used again.`,
    '',
    latency,
    '',
    `Nothing lost, nothing twice (counted in SQL once each server had stopped): ${integrityOk ? '**every acknowledged reading is stored, none twice**' : '**a check failed**, see the table'}.`,
    '',
    integrity,
    '',
    'Goals (issue #7, PostgreSQL):',
    '',
    ...goals,
    ...(input.notes.length > 0 ? ['', ...input.notes] : []),
  ].join('\n');
}
