import { DateTime } from 'luxon';
import type { TAvailabilityException, TWeeklyRule } from '@careline/contracts';

/**
 * The availability math, pure (no I/O, no clock). A rule "Monday 09:00–17:00" in a practitioner's
 * zone means exactly: the instants whose local wall time in that zone falls on a Monday between 09:00
 * (inclusive) and 17:00 (exclusive). That one definition settles the DST cases deliberately:
 *  - a rule keeps its wall-clock time on both sides of a change (09:00 stays 09:00 local);
 *  - wall times that do not exist (spring forward gap) are simply never open: 01:00–04:00 on the US
 *    spring-forward day is two real hours;
 *  - wall times that occur twice (fall back) are open both times: 01:00–02:00 on the US fall-back day
 *    is two real hours.
 * The property test checks the computed intervals against that definition instant by instant.
 */

export interface AvailabilityRules {
  readonly timeZone: string;
  readonly weekly: readonly TWeeklyRule[];
  readonly exceptions: readonly TAvailabilityException[];
}

/** A half-open UTC interval [start, end) in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Minutes since midnight of 'HH:mm' ('24:00' → 1440). */
export function wallMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The wall-clock windows (minutes since local midnight) open on one local date. */
export function windowsOn(rules: AvailabilityRules, date: DateTime): [number, number][] {
  const iso = date.toISODate();
  const off = rules.exceptions.some((x) => x.kind === 'off' && x.date === iso);
  const out: [number, number][] = [];
  if (!off) for (const r of rules.weekly) if (r.weekday === date.weekday) out.push([wallMinutes(r.start), wallMinutes(r.end)]);
  for (const x of rules.exceptions) if (x.kind === 'extra' && x.date === iso) out.push([wallMinutes(x.start), wallMinutes(x.end)]);
  return out;
}

/** Offset (minutes) of the zone at an instant. */
function offsetAt(zone: string, ms: number): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/**
 * Spans of constant UTC offset covering [from, to): `wall = instant + offset` inside each. Found by
 * comparing offsets 6 hours apart and bisecting to the minute where they differ (tz transitions are
 * whole minutes and never closer than 6 hours to one another).
 */
export function offsetSpans(zone: string, from: number, to: number): { start: number; end: number; offset: number }[] {
  const STEP = 6 * 60 * MINUTE;
  const spans: { start: number; end: number; offset: number }[] = [];
  let spanStart = from;
  let offset = offsetAt(zone, from);
  for (let probe = from; probe < to; probe += STEP) {
    const next = Math.min(probe + STEP, to);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset === offset) continue;
    // Bisect in whole minutes: lo has the old offset, hi the new one.
    let lo = Math.floor(probe / MINUTE);
    let hi = Math.ceil(next / MINUTE);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid * MINUTE) === offset) lo = mid;
      else hi = mid;
    }
    const change = Math.max(hi * MINUTE, spanStart);
    if (change > spanStart) spans.push({ start: spanStart, end: change, offset });
    spanStart = change;
    offset = nextOffset;
  }
  if (to > spanStart) spans.push({ start: spanStart, end: to, offset });
  return spans;
}

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, i.end) };
    else out.push(i);
  }
  return out;
}

/** The open (available) instants in [from, to), as merged UTC intervals. */
export function openIntervals(rules: AvailabilityRules, from: number, to: number): Interval[] {
  if (to <= from) return [];
  const zone = rules.timeZone;
  // Local dates that can touch [from, to): one day of margin each side covers any UTC offset.
  const spans = offsetSpans(zone, from - 2 * DAY, to + 2 * DAY);
  const firstDay = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(to, { zone }).startOf('day').plus({ days: 1 });
  const pieces: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    const wallMidnight = Date.UTC(day.year, day.month - 1, day.day);
    for (const [s, e] of windowsOn(rules, day)) {
      const wallStart = wallMidnight + s * MINUTE;
      const wallEnd = wallMidnight + e * MINUTE;
      // In each constant-offset span, the instants whose wall time is in [wallStart, wallEnd).
      for (const span of spans) {
        const start = Math.max(span.start, wallStart - span.offset * MINUTE);
        const end = Math.min(span.end, wallEnd - span.offset * MINUTE);
        if (end > start) pieces.push({ start, end });
      }
    }
  }
  return mergeIntervals(pieces.map((p) => ({ start: Math.max(p.start, from), end: Math.min(p.end, to) })));
}

/** Whether an instant is open by the definition above (the oracle of the property test). */
export function isOpenAt(rules: AvailabilityRules, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: rules.timeZone });
  const minute = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / MINUTE;
  return windowsOn(rules, local.startOf('day')).some(([s, e]) => minute >= s && minute < e);
}

export interface SlotOptions {
  readonly durationMinutes: number;
  /** Candidate starts are this far apart, counted from the start of each open interval. */
  readonly stepMinutes: number;
  /** Booked time: a slot may not overlap any of it. */
  readonly busy: readonly Interval[];
  /** No slot starts before this instant (now + minimum notice). */
  readonly notBefore?: number;
}

/** Free slots: whole visits inside open time, overlapping nothing busy. */
export function freeSlots(open: readonly Interval[], options: SlotOptions): Interval[] {
  const duration = options.durationMinutes * MINUTE;
  const step = options.stepMinutes * MINUTE;
  const busy = mergeIntervals(options.busy);
  const out: Interval[] = [];
  for (const piece of open) {
    for (let start = piece.start; start + duration <= piece.end; start += step) {
      if (options.notBefore !== undefined && start < options.notBefore) continue;
      const end = start + duration;
      if (!busy.some((b) => b.start < end && b.end > start)) out.push({ start, end });
    }
  }
  return out;
}

/** Whether [start, end) lies wholly inside one open interval. */
export function coveredBy(open: readonly Interval[], start: number, end: number): boolean {
  return open.some((o) => o.start <= start && end <= o.end);
}
