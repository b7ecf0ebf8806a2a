import type { TAgpBin, TRanges, TSeries } from '../api/monitoring-api';

/** One x position of a trend chart: the instant (ms) and the value of each measure read then. */
export type TrendRow = { readonly t: number } & Readonly<Record<string, number>>;

/**
 * Merges the series of one chart (systolic and diastolic are separate Observations taken at the same
 * instant) into rows by instant, oldest first. A measure missing at an instant is absent from that
 * row (the chart connects across it); a duplicate instant keeps the last value.
 */
export function trendRows(series: readonly Pick<TSeries, 'measure' | 'points'>[]): TrendRow[] {
  const rows = new Map<number, Record<string, number>>();
  for (const s of series) {
    for (const p of s.points) {
      const t = Date.parse(p.at);
      if (!Number.isFinite(t)) continue;
      const row = rows.get(t) ?? { t };
      row[s.measure] = p.value;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0)) as TrendRow[];
}

export interface ReferenceLine {
  readonly measure: string;
  readonly value: number;
  readonly comparator: string;
  readonly severity: string;
}

/** The patient's limits of a chart's measures as reference lines, one per measure and value. */
export function referenceLines(series: readonly Pick<TSeries, 'measure' | 'thresholds'>[]): ReferenceLine[] {
  const seen = new Set<string>();
  const out: ReferenceLine[] = [];
  for (const s of series) {
    for (const th of s.thresholds) {
      const key = `${s.measure}|${String(th.value)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ measure: s.measure, value: th.value, comparator: th.comparator, severity: th.severity });
    }
  }
  return out.sort((a, b) => b.value - a.value);
}

/** Whether a value breaks a limit (the server's comparators: >=, >, <=, <). */
export function breaks(value: number, comparator: string, limit: number): boolean {
  switch (comparator) {
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
    case '<=':
      return value <= limit;
    case '<':
      return value < limit;
    default:
      return false;
  }
}

export interface SeriesStats {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly latest: { readonly value: number; readonly at: string } | null;
  /** Readings that break one of the limits. */
  readonly outside: number;
}

/** What a chart's description says in words: how many readings, their range, the latest, how many off limits. */
export function seriesStats(s: Pick<TSeries, 'points' | 'thresholds'>): SeriesStats {
  if (s.points.length === 0) return { count: 0, min: null, max: null, latest: null, outside: 0 };
  const values = s.points.map((p) => p.value);
  const newest = s.points.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
  return {
    count: values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    latest: { value: newest.value, at: newest.at },
    outside: values.filter((v) => s.thresholds.some((th) => breaks(v, th.comparator, th.value))).length,
  };
}

/** Y axis bounds that show every point and every limit with a little room. */
export function yDomain(rows: readonly TrendRow[], measures: readonly string[], lines: readonly ReferenceLine[]): [number, number] | undefined {
  const values = [...rows.flatMap((r) => measures.flatMap((m) => (typeof r[m] === 'number' ? [r[m]] : []))), ...lines.map((l) => l.value)];
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(1, (hi - lo) * 0.1);
  return [Math.floor(lo - pad), Math.ceil(hi + pad)];
}

/** The International Consensus ranges, top (very high) to bottom (very low), as the stacked bar draws them. */
export const TIR_ORDER = ['veryHigh', 'high', 'inRange', 'low', 'veryLow'] as const satisfies readonly (keyof TRanges)[];

/** One row per range for the time-in-range chart and its table, percentages rounded to one decimal. */
export function tirSegments(ranges: TRanges): { readonly key: keyof TRanges; readonly percent: number }[] {
  return TIR_ORDER.map((key) => ({ key, percent: Math.round(Math.max(0, ranges[key]) * 10) / 10 }));
}

/** The stacked-bar datum: one bar with a segment per range. */
export function tirBar(ranges: TRanges, label: string): Record<string, string | number> {
  return { label, ...Object.fromEntries(tirSegments(ranges).map((s) => [s.key, s.percent])) };
}

export interface AgpRow {
  readonly minute: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  /** [p5, p95] and [p25, p75]: the bands an area chart fills between. */
  readonly outer: readonly [number, number];
  readonly inner: readonly [number, number];
}

/**
 * The AGP chart's rows: bins with readings only, each band ordered low to high (percentiles of one
 * bin are ordered by definition; sorting guards the drawing against a malformed answer).
 */
export function agpRows(bins: readonly TAgpBin[]): AgpRow[] {
  return bins.flatMap((b) => {
    const ps = [b.p5, b.p25, b.p50, b.p75, b.p95];
    if (b.count === 0 || ps.some((p) => p === null)) return [];
    const [p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0] = (ps as number[]).sort((x, y) => x - y);
    return [{ minute: b.minute, p5, p25, p50, p75, p95, outer: [p5, p95] as const, inner: [p25, p75] as const }];
  });
}

/** Minutes after midnight as HH:MM (the AGP's time of day, already in the clinic's zone). */
export function minuteLabel(minute: number): string {
  const m = ((Math.round(minute) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
