import type { Comparator, MonitoringRule } from './rule-contract.js';

/** One value of one measure at one time (a panel contributes one per component). */
export interface MeasuredValue {
  readonly measure: string;
  readonly value: number;
  readonly at: Date;
}

export interface RuleHit {
  readonly ruleId: string;
  readonly kind: MonitoringRule['kind'];
  readonly severity: 'high' | 'medium';
  /** Plain words for the care team, e.g. "8480-6 = 184 (≥ 180)". No names. */
  readonly summary: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function crosses(v: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '>=':
      return v >= limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '<':
      return v < limit;
  }
}

/**
 * Evaluates a patient's rules when a new value arrives. `history` holds the patient's values of
 * the monitored measures (any order, may include `latest`); only rules about `latest.measure`
 * are judged, so one reading never re-fires alerts about another vital. The caller keeps one open
 * alert per rule (repeats attach to it): this function only says which rules fire now.
 */
export function evaluateOnReading(rules: readonly MonitoringRule[], latest: MeasuredValue, history: readonly MeasuredValue[]): RuleHit[] {
  const same = dedupe([...history, latest].filter((v) => v.measure === latest.measure && v.at.getTime() <= latest.at.getTime())).sort((a, b) => b.at.getTime() - a.at.getTime());
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case 'absolute':
        if (rule.measure === latest.measure && crosses(latest.value, rule.comparator, rule.value)) {
          hits.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, summary: `${rule.measure} = ${String(latest.value)} (${rule.comparator} ${String(rule.value)})` });
        }
        break;
      case 'sustained': {
        if (rule.measure !== latest.measure || !crosses(latest.value, rule.comparator, rule.value)) break;
        const window = same.slice(0, rule.of);
        const n = window.filter((v) => crosses(v.value, rule.comparator, rule.value)).length;
        if (n >= rule.count) hits.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, summary: `${rule.measure}: ${String(n)} of the last ${String(window.length)} ${rule.comparator} ${String(rule.value)}` });
        break;
      }
      case 'trend': {
        if (rule.measure !== latest.measure) break;
        const since = latest.at.getTime() - rule.hours * HOUR;
        const earlier = same.filter((v) => v.at.getTime() >= since && v.at.getTime() < latest.at.getTime());
        if (earlier.length === 0) break;
        const lowest = Math.min(...earlier.map((v) => v.value));
        const rise = latest.value - lowest;
        // Rounded to avoid 1.0000000002-style float noise deciding an alert.
        if (Math.round(rise * 1000) >= Math.round(rule.delta * 1000)) {
          hits.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, summary: `${rule.measure} rose ${String(Math.round(rise * 10) / 10)} in ${String(rule.hours)} h (limit ${String(rule.delta)})` });
        }
        break;
      }
      case 'time-below': {
        if (rule.measure !== latest.measure) break;
        const since = latest.at.getTime() - rule.days * DAY;
        const window = same.filter((v) => v.at.getTime() > since);
        if (window.length < rule.minReadings) break;
        const below = window.filter((v) => v.value < rule.below).length;
        const pct = (100 * below) / window.length;
        if (pct > rule.percent) {
          hits.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, summary: `${rule.measure} below ${String(rule.below)} ${pct.toFixed(1)}% of ${String(rule.days)} days (limit ${String(rule.percent)}%)` });
        }
        break;
      }
      case 'missed':
      case 'fall':
        // Judged elsewhere: missed readings by a scheduled sweep, falls by their event.
        break;
    }
  }
  return hits;
}

/** Rules of kind 'missed' that fire for a patient whose newest reading is `lastAt` (null: never). */
export function evaluateMissed(rules: readonly MonitoringRule[], lastAt: Date | null, now: Date, enrolledAt: Date): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'missed') continue;
    const since = (lastAt ?? enrolledAt).getTime();
    if (now.getTime() - since >= rule.days * DAY) {
      hits.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, summary: `No readings for ${String(rule.days)} day(s)` });
    }
  }
  return hits;
}

/** A replayed value (same measure and time) counts once, as it is stored once. */
function dedupe(values: readonly MeasuredValue[]): MeasuredValue[] {
  const seen = new Map<string, MeasuredValue>();
  for (const v of values) seen.set(`${v.measure}|${String(v.at.getTime())}`, v);
  return [...seen.values()];
}
