/** Checks of the weekly-hours editor that the contract's per-range rules cannot see: overlaps within a day. */
import type { TWeeklyRule } from '@careline/contracts';
import { parseHhmm } from './zoned-time';

export interface EditableRange {
  readonly key: string;
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

export type RangeProblem = 'invalid' | 'overlap';

/** For each range that is wrong: 'invalid' (not HH:MM, or end not after start) or 'overlap' (with another range on its day). */
export function rangeProblems(ranges: readonly EditableRange[]): Map<string, RangeProblem> {
  const problems = new Map<string, RangeProblem>();
  const valid: { key: string; weekday: number; from: number; to: number }[] = [];
  for (const r of ranges) {
    const from = parseHhmm(r.start);
    const to = parseHhmm(r.end);
    if (from === undefined || to === undefined || from >= to || from === 24 * 60) problems.set(r.key, 'invalid');
    else valid.push({ key: r.key, weekday: r.weekday, from, to });
  }
  for (const a of valid)
    for (const b of valid) {
      if (a.key !== b.key && a.weekday === b.weekday && a.from < b.to && b.from < a.to) problems.set(a.key, 'overlap');
    }
  return problems;
}

/** The ranges as the contract's weekly rules, sorted by day and start. */
export function toWeeklyRules(ranges: readonly EditableRange[]): TWeeklyRule[] {
  return [...ranges].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)).map(({ weekday, start, end }) => ({ weekday, start, end }));
}
