/**
 * Continuous glucose monitoring summary metrics and the Ambulatory Glucose Profile, as defined by
 * the International Consensus on Time in Range (Battelino et al., Diabetes Care 2019;42:1593):
 * ranges < 54, 54–69, 70–180, 181–250, > 250 mg/dL; GMI = 3.31 + 0.02392 × mean (Bergenstal 2018);
 * glycaemic variability as CV = SD / mean (target ≤ 36%); ≥ 70% sensor wear for a valid 14-day report.
 */
export interface GlucoseValue {
  readonly at: Date;
  /** mg/dL */
  readonly value: number;
}

export interface TimeInRanges {
  readonly veryLow: number;
  readonly low: number;
  readonly inRange: number;
  readonly high: number;
  readonly veryHigh: number;
}

export interface CgmSummary {
  readonly readings: number;
  /** Percent of the expected 5-minute readings over the window that are present. */
  readonly sensorActivePercent: number;
  readonly meanMgDl: number | null;
  readonly gmiPercent: number | null;
  readonly cvPercent: number | null;
  /** Percent of readings in each range (sums to 100 when there are readings). */
  readonly ranges: TimeInRanges;
}

const FIVE_MINUTES = 5 * 60_000;

export function rangeOf(v: number): keyof TimeInRanges {
  if (v < 54) return 'veryLow';
  if (v < 70) return 'low';
  if (v <= 180) return 'inRange';
  if (v <= 250) return 'high';
  return 'veryHigh';
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function summarizeCgm(values: readonly GlucoseValue[], from: Date, to: Date): CgmSummary {
  const inWindow = values.filter((v) => v.at.getTime() >= from.getTime() && v.at.getTime() < to.getTime());
  const n = inWindow.length;
  const expected = Math.max(1, Math.floor((to.getTime() - from.getTime()) / FIVE_MINUTES));
  const counts: Record<keyof TimeInRanges, number> = { veryLow: 0, low: 0, inRange: 0, high: 0, veryHigh: 0 };
  for (const v of inWindow) counts[rangeOf(v.value)]++;
  const pct = (k: keyof TimeInRanges): number => (n === 0 ? 0 : round1((100 * counts[k]) / n));
  if (n === 0) {
    return { readings: 0, sensorActivePercent: 0, meanMgDl: null, gmiPercent: null, cvPercent: null, ranges: { veryLow: 0, low: 0, inRange: 0, high: 0, veryHigh: 0 } };
  }
  const mean = inWindow.reduce((s, v) => s + v.value, 0) / n;
  const variance = n > 1 ? inWindow.reduce((s, v) => s + (v.value - mean) ** 2, 0) / (n - 1) : 0;
  return {
    readings: n,
    sensorActivePercent: Math.min(100, round1((100 * n) / expected)),
    meanMgDl: Math.round(mean),
    gmiPercent: round1(3.31 + 0.02392 * mean),
    cvPercent: round1((100 * Math.sqrt(variance)) / mean),
    ranges: { veryLow: pct('veryLow'), low: pct('low'), inRange: pct('inRange'), high: pct('high'), veryHigh: pct('veryHigh') },
  };
}

export interface AgpBin {
  /** Minutes after local midnight where the bin starts. */
  readonly minute: number;
  readonly count: number;
  /** 5th, 25th, 50th, 75th, 95th percentiles (mg/dL), null when the bin is empty. */
  readonly p5: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p95: number | null;
}

/** Percentile by linear interpolation between closest ranks (sorted input). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return Math.round(a + (b - a) * (rank - lo));
}

/**
 * The Ambulatory Glucose Profile: all days folded onto one day in the patient's local time, in
 * bins of `binMinutes`, with the percentile bands the AGP chart draws.
 */
export function ambulatoryGlucoseProfile(values: readonly GlucoseValue[], timeZone: string, binMinutes = 60): AgpBin[] {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const bins = Array.from({ length: Math.ceil(1440 / binMinutes) }, () => [] as number[]);
  for (const v of values) {
    const [h, m] = fmt.format(v.at).split(':').map(Number);
    const minute = (h ?? 0) * 60 + (m ?? 0);
    bins[Math.floor(minute / binMinutes)]?.push(v.value);
  }
  return bins.map((b, i) => {
    const s = [...b].sort((x, y) => x - y);
    return { minute: i * binMinutes, count: s.length, p5: percentile(s, 5), p25: percentile(s, 25), p50: percentile(s, 50), p75: percentile(s, 75), p95: percentile(s, 95) };
  });
}
