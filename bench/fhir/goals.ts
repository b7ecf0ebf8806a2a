import { formatInt, formatRatio } from '../lib/stats.js';
import type { Plan } from './backend-run.js';
import {
  bundleRate, createRatio, GOAL_BUNDLE_PER_S, GOAL_CREATE_RATIO, GOAL_SEARCH_P99_MS, GOAL_SEARCH_PER_S, ms, searchMeets, verdict, type BackendReport,
} from './tables.js';

/** One line per goal, for the summary under the tables. */
export function goalLines(reports: readonly BackendReport[], plan: Plan): string[] {
  const lines: string[] = [];
  for (const b of reports) {
    for (const n of plan.postConnections) {
      const r = createRatio(b, n);
      if (r !== undefined) lines.push(`- ${b.name}: POST Observation at ${n} connections ≥ ${formatRatio(GOAL_CREATE_RATIO)} the raw single-row ceiling — ${formatRatio(r)}: ${verdict(r >= GOAL_CREATE_RATIO)}`);
    }
    if (b.bundleGoal) {
      const per = bundleRate(b.run.bundle, plan.bundleSize);
      lines.push(`- ${b.name}: transaction Bundles ≥ ${formatInt(GOAL_BUNDLE_PER_S)} resources/s — ${formatInt(per)}/s: ${verdict(per >= GOAL_BUNDLE_PER_S)}`);
    }
    for (const [when, m] of [['as the server left the statistics', b.run.search], ['after ANALYZE', b.run.searchAnalyzed]] as const) {
      const s = m.load;
      lines.push(
        `- ${b.name}: search over ${formatInt(b.run.observationsAtSearch)} Observations, ${when}: p99 ≤ ${GOAL_SEARCH_P99_MS} ms and ≥ ${formatInt(GOAL_SEARCH_PER_S)} req/s — ` +
          `p99 ${ms(s.latencyP99Ms)}, ${formatInt(s.reqPerSecMedian)} req/s${s.errors > 0 ? `, ${s.errors} errors (timeouts)` : ''}: ${verdict(searchMeets(m))}`,
      );
    }
  }
  return lines;
}
