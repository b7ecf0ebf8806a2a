import type { LoadResult } from '../lib/load.js';
import { markdownTable } from '../lib/report.js';
import { formatInt, formatMb, formatMs, formatRatio, max, median, min } from '../lib/stats.js';
import type { HealthzLoad, StartSample } from './measure.js';

export const GOAL_READY_MS = 3_000;
export const GOAL_RSS_MB = 500;

export interface StartRow {
  readonly scenario: string;
  readonly samples: readonly StartSample[];
  readonly goal?: boolean;
}

export function meetsGoal(samples: readonly StartSample[]): { ready: boolean; rss: boolean } {
  return {
    ready: median(samples.map((s) => s.readyMs)) <= GOAL_READY_MS,
    rss: median(samples.map((s) => s.rssMb)) <= GOAL_RSS_MB,
  };
}

function goalCell(row: StartRow): string {
  if (!row.goal) return '—';
  const met = meetsGoal(row.samples);
  return `ready ≤ ${formatMs(GOAL_READY_MS)}: **${met.ready ? 'PASS' : 'FAIL'}**; RSS ≤ ${GOAL_RSS_MB} MB: **${met.rss ? 'PASS' : 'FAIL'}**`;
}

export function startTable(rows: readonly StartRow[]): string {
  return markdownTable(
    ['Start', 'Runs', 'Spawn → /readyz 200 (median)', 'min – max', 'Spawn → "running" line (median)', 'Server CPU time to ready (median)', 'RSS at ready (median)', 'Goal'],
    rows.map((row) => {
      const ready = row.samples.map((s) => s.readyMs);
      return [
        row.scenario,
        String(row.samples.length),
        formatMs(median(ready)),
        `${formatMs(min(ready))} – ${formatMs(max(ready))}`,
        formatMs(median(row.samples.map((s) => s.listeningMs))),
        formatMs(median(row.samples.map((s) => s.cpuMs))),
        formatMb(median(row.samples.map((s) => s.rssMb))),
        goalCell(row),
      ];
    }),
  );
}

function loadCells(r: LoadResult): string[] {
  return [
    formatInt(r.reqPerSecMedian),
    formatInt(r.reqPerSecMean),
    `${r.latencyP50Ms} ms`,
    `${r.latencyP99Ms} ms`,
    `${r.errors} / ${r.non2xx}`,
  ];
}

export function loadTable(load: HealthzLoad): string {
  const { careline, raw } = load;
  return markdownTable(
    ['GET, 50 connections', 'req/s (median of 1-s samples)', 'req/s (mean)', 'latency p50', 'latency p99', 'errors / non-2xx', 'server RSS'],
    [
      ['raw `node:http` ceiling, same body', ...loadCells(raw), '—'],
      [
        'Careline `/healthz` (embedded)',
        ...loadCells(careline),
        `${formatMb(load.carelineRssBeforeMb)} at ready → ${formatMb(load.carelineRssAfterMb)} after load`,
      ],
      [
        '**Careline / raw**',
        `**${formatRatio(careline.reqPerSecMedian / raw.reqPerSecMedian)}**`,
        formatRatio(careline.reqPerSecMean / raw.reqPerSecMean),
        '',
        '',
        '',
        '',
      ],
    ],
  );
}
