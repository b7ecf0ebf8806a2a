import { markdownTable } from '../lib/report.js';
import { formatInt, formatMb, formatMs, formatRatio } from '../lib/stats.js';
import type { BackendResult, Measured, Plan } from './backend-run.js';
import type { SearchPlan } from './explain.js';
import type { RawCeiling } from './raw-ceiling.js';

export const GOAL_CREATE_RATIO = 0.5;
export const GOAL_BUNDLE_PER_S = 5_000;
export const GOAL_SEARCH_P99_MS = 10;
export const GOAL_SEARCH_PER_S = 1_300;

export interface BackendReport {
  readonly name: string;
  readonly raw: RawCeiling | undefined;
  readonly run: BackendResult;
  /** Whether the bundle goal applies (it is stated for PostgreSQL). */
  readonly bundleGoal: boolean;
  /** Observations wanted in the store for the search. */
  readonly target: number;
}

export const verdict = (ok: boolean): string => `**${ok ? 'PASS' : 'FAIL'}**`;
export const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : formatInt(v)} ms`;

export function createRatio(b: BackendReport, connections: number): number | undefined {
  const post = b.run.post.get(connections);
  const raw = b.raw?.singleRow.get(connections);
  return post && raw ? post.load.reqPerSecMedian / raw.perSecMedian : undefined;
}

export function searchMeets(m: Measured): boolean {
  return m.load.errors === 0 && m.load.latencyP99Ms <= GOAL_SEARCH_P99_MS && m.load.reqPerSecMedian >= GOAL_SEARCH_PER_S;
}

/** Bundles take up to seconds each, so their rate is the run's mean, not a median of 1-s samples. */
export function bundleRate(m: Measured, size: number): number {
  return m.load.reqPerSecMean * size;
}

export function rawTable(reports: readonly BackendReport[], plan: Plan): string {
  const cell = (r: RawCeiling | undefined, get: (c: RawCeiling) => number | undefined): string => {
    const v = r ? get(r) : undefined;
    return v === undefined ? '—' : `${formatInt(v)} rows/s`;
  };
  const rows = plan.postConnections.map((n) => [
    `single-row autocommit INSERT, ${n} connections`,
    ...reports.map((b) => cell(b.raw, (c) => c.singleRow.get(n)?.perSecMedian)),
  ]);
  const multi = reports.find((b) => b.raw)?.raw?.rowsPerStatement ?? 1000;
  rows.push([`one ${formatInt(multi)}-row INSERT (unnest of ids and texts), repeated on 1 connection`, ...reports.map((b) => cell(b.raw, (c) => c.multiRow.perSecMedian))]);
  return markdownTable(['Raw ceiling (median of 1-s samples)', ...reports.map((b) => b.name)], rows);
}

/** "0.32 + 0.85": the server's cores and PostgreSQL's (PGlite runs inside the server). */
function cpuCells(m: Measured, perSec: number): [string, string] {
  const cores = m.databaseCores === undefined ? m.serverCores.toFixed(2) : `${m.serverCores.toFixed(2)} + ${m.databaseCores.toFixed(2)}`;
  const perReq = (c: number): string => (perSec > 0 ? ((c * 1000) / perSec).toFixed(2) : '—');
  const ms = m.databaseCores === undefined ? perReq(m.serverCores) : `${perReq(m.serverCores)} + ${perReq(m.databaseCores)}`;
  return [cores, ms];
}

function rateCell(l: Measured['load'], perReq: number): string {
  if (l.requests === 0) return 'none completed';
  if (perReq !== 1) return `${l.reqPerSecMean.toFixed(1)} (mean)`;
  return l.reqPerSecMedian < 10 ? `${formatInt(l.reqPerSecMedian)} (mean ${l.reqPerSecMean.toFixed(1)})` : formatInt(l.reqPerSecMedian);
}

function loadRow(what: string, b: BackendReport, m: Measured, perReq: number, ratio: number | undefined, goal: string): string[] {
  const l = m.load;
  const done = l.requests > 0;
  return [
    what,
    b.name,
    rateCell(l, perReq),
    perReq === 1 ? '' : formatInt(bundleRate(m, perReq)),
    done ? ms(l.latencyP50Ms) : '—',
    done ? ms(l.latencyP99Ms) : '—',
    `${l.errors} / ${l.non2xx}`,
    // Over everything completed (the mean rate: slow runs have 1-s samples of 0); per resource for Bundles.
    ...cpuCells(m, l.reqPerSecMean * perReq),
    ratio === undefined ? '—' : formatRatio(ratio),
    goal,
  ];
}

function searchGoal(m: Measured): string {
  return `p99 ≤ ${GOAL_SEARCH_P99_MS} ms, ≥ ${formatInt(GOAL_SEARCH_PER_S)} req/s: ${verdict(searchMeets(m))}`;
}

export function httpTable(reports: readonly BackendReport[], plan: Plan): string {
  const rows: string[][] = [];
  for (const n of plan.postConnections) {
    for (const b of reports) {
      const m = b.run.post.get(n);
      const ratio = createRatio(b, n);
      if (m) rows.push(loadRow(`POST /Observation, ${n} conn`, b, m, 1, ratio, ratio === undefined ? '—' : `≥ ${formatRatio(GOAL_CREATE_RATIO)} raw: ${verdict(ratio >= GOAL_CREATE_RATIO)}`));
    }
  }
  for (const b of reports) {
    const per = bundleRate(b.run.bundle, plan.bundleSize);
    const goal = b.bundleGoal ? `≥ ${formatInt(GOAL_BUNDLE_PER_S)} resources/s: ${verdict(per >= GOAL_BUNDLE_PER_S)}` : '—';
    rows.push(loadRow(`transaction of ${plan.bundleSize} Observations, ${plan.bundleConnections} conn`, b, b.run.bundle, plan.bundleSize, undefined, goal));
  }
  for (const b of reports) rows.push(loadRow(`search, ${plan.readConnections} conn, ${formatInt(b.run.observationsAtSearch)} Observations`, b, b.run.search, 1, undefined, searchGoal(b.run.search)));
  for (const b of reports) rows.push(loadRow('… the same search after ANALYZE', b, b.run.searchAnalyzed, 1, undefined, searchGoal(b.run.searchAnalyzed)));
  for (const b of reports) rows.push(loadRow(`read by id, ${plan.readConnections} conn`, b, b.run.read, 1, undefined, '—'));
  return markdownTable(
    [
      'Request', 'Backend', 'req/s (median of 1-s samples)', 'resources/s (mean)', 'latency p50', 'latency p99', 'errors / non-2xx',
      'CPU cores busy: server + PostgreSQL', 'CPU ms per request (Bundles: per resource): server + PostgreSQL', 'POST / raw single-row, same conn', 'Goal',
    ],
    rows,
  );
}

function statsCell(run: BackendResult): string {
  const at = run.plan.analyzedAt;
  if (!at) return 'none (never analysed)';
  const time = at.toISOString().slice(11, 19);
  return at <= run.searchStartedAt ? `analysed ${time} UTC` : `last analysed ${time} UTC, after it started`;
}

const planCell = (p: SearchPlan): string => (p.executionMs === undefined ? '—' : ms(p.executionMs));

export function dataTable(reports: readonly BackendReport[], plan: Plan): string {
  const rows: string[][] = [
    ['Observations at search time (target)', ...reports.map((b) => `${formatInt(b.run.observationsAtSearch)} (${formatInt(b.target)})`)],
    [
      `bulk load through the API: Bundles of ${formatInt(plan.load.bundleSize)}, ${plan.load.concurrency} in flight`,
      ...reports.map((b) => {
        const s = b.run.seed;
        const rate = s.ms > 0 ? `, ${formatInt(s.loaded / (s.ms / 1000))}/s` : '';
        return `${formatInt(s.loaded)} in ${formatMs(s.ms)}${rate}${s.stoppedByBudget ? ' (stopped by the time budget)' : ''}`;
      }),
    ],
    ['fhir_search planner statistics when the search run started', ...reports.map((b) => statsCell(b.run))],
    ['search page query, EXPLAIN ANALYZE (warm): as left → after ANALYZE', ...reports.map((b) => `${planCell(b.run.plan)} → ${planCell(b.run.planAnalyzed)}`)],
    ['server RSS at ready → after the read run', ...reports.map((b) => `${formatMb(b.run.rssAtReadyMb)} → ${formatMb(b.run.rssAfterMb)}`)],
  ];
  return markdownTable(['Data and memory', ...reports.map((b) => b.name)], rows);
}
