import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { TAvailabilityException, TWeeklyRule } from '@careline/contracts';
import { coveredBy, freeSlots, isOpenAt, mergeIntervals, openIntervals, type AvailabilityRules, type Interval } from './slot-math.js';

const MINUTE = 60_000;
const ZONES = ['America/New_York', 'Europe/Berlin', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'America/Santiago', 'Pacific/Chatham', 'UTC'];

const wall = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const window = fc.tuple(wall, wall).filter(([a, b]) => a < b);
const weeklyRule = fc.tuple(fc.integer({ min: 1, max: 7 }), window).map(([weekday, [start, end]]): TWeeklyRule => ({ weekday, start, end }));
/** Around the 2025 DST changes of the listed zones, so transitions are exercised often. */
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) });
const localDate = instant.map((ms) => new Date(ms).toISOString().slice(0, 10));
const exception = fc.oneof(
  localDate.map((date): TAvailabilityException => ({ kind: 'off', date })),
  fc.tuple(localDate, window).map(([date, [start, end]]): TAvailabilityException => ({ kind: 'extra', date, start, end })),
);
const rules = fc.record({ timeZone: fc.constantFrom(...ZONES), weekly: fc.array(weeklyRule, { maxLength: 6 }), exceptions: fc.array(exception, { maxLength: 4 }) });

const inside = (intervals: readonly Interval[], ms: number): boolean => intervals.some((i) => i.start <= ms && ms < i.end);
const at = (iso: string): number => Date.parse(iso);
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ZZ");

describe('openIntervals (property)', () => {
  it('is exactly the set of instants whose local wall time a rule or extra covers', () => {
    fc.assert(
      fc.property(rules, instant, fc.integer({ min: 1, max: 10 * 24 * 60 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }), (r, from, lengthMinutes, probes) => {
        const to = from + lengthMinutes * MINUTE;
        const open = openIntervals(r, from, to);
        // Every boundary and its neighbours, plus random instants.
        const points = [...open.flatMap((i) => [i.start, i.start - 1, i.end - 1, i.end]), ...probes.map((p) => Math.floor(from + p * (to - from)))];
        for (const p of points.filter((x) => x >= from && x < to)) {
          expect(inside(open, p), `${local(p, r.timeZone)} in ${r.timeZone}`).toBe(isOpenAt(r, p));
        }
        // Merged, sorted, within range.
        for (let i = 0; i < open.length; i++) {
          const cur = open[i] as Interval;
          expect(cur.start).toBeGreaterThanOrEqual(from);
          expect(cur.end).toBeLessThanOrEqual(to);
          expect(cur.end).toBeGreaterThan(cur.start);
          if (i > 0) expect(cur.start).toBeGreaterThan((open[i - 1] as Interval).end);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('over a long range equals the union of its sub-ranges', () => {
    fc.assert(
      fc.property(rules, instant, fc.integer({ min: 60, max: 20 * 24 * 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (r, from, minutes, cut) => {
        const to = from + minutes * MINUTE;
        const mid = Math.floor(from + cut * (to - from));
        expect(mergeIntervals([...openIntervals(r, from, mid), ...openIntervals(r, mid, to)])).toEqual(openIntervals(r, from, to));
      }),
      { numRuns: 100 },
    );
  });
});

describe('freeSlots (property)', () => {
  const busy = fc.array(fc.tuple(instant, fc.integer({ min: 5, max: 240 })).map(([s, m]): Interval => ({ start: s, end: s + m * MINUTE })), { maxLength: 30 });
  it('gives whole visits inside open time that overlap nothing busy, at the step', () => {
    fc.assert(
      fc.property(rules, instant, busy, fc.constantFrom(15, 30, 45, 60), fc.constantFrom(5, 15, 30), (r, from, booked, duration, step) => {
        const to = from + 14 * 24 * 60 * MINUTE;
        const open = openIntervals(r, from, to);
        const slots = freeSlots(open, { durationMinutes: duration, stepMinutes: step, busy: booked, notBefore: from + 60 * MINUTE });
        for (const s of slots) {
          expect(s.end - s.start).toBe(duration * MINUTE);
          expect(coveredBy(open, s.start, s.end)).toBe(true);
          expect(booked.some((b) => b.start < s.end && b.end > s.start)).toBe(false);
          expect(s.start).toBeGreaterThanOrEqual(from + 60 * MINUTE);
          const piece = open.find((o) => o.start <= s.start && s.start < o.end) as Interval;
          expect((s.start - piece.start) % (step * MINUTE)).toBe(0);
        }
        // Nothing free is missed: with nothing booked, every step position that fits is offered.
        const all = freeSlots(open, { durationMinutes: duration, stepMinutes: step, busy: [] });
        const expected = open.reduce((n, o) => n + (o.end - o.start >= duration * MINUTE ? Math.floor((o.end - o.start - duration * MINUTE) / (step * MINUTE)) + 1 : 0), 0);
        expect(all).toHaveLength(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('openIntervals at DST edges (table)', () => {
  const weekdays = (start: string, end: string): TWeeklyRule[] => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
  const day = (zone: string, date: string, start: string, end: string): string[] => {
    const r: AvailabilityRules = { timeZone: zone, weekly: weekdays(start, end), exceptions: [] };
    const d = DateTime.fromISO(date, { zone });
    return openIntervals(r, d.startOf('day').toMillis(), d.endOf('day').toMillis() + 1).map((i) => `${new Date(i.start).toISOString()}/${new Date(i.end).toISOString()}`);
  };
  it.each([
    // 09:00 local stays 09:00 local across the change (UTC moves by an hour).
    ['America/New_York', '2025-03-08', '09:00', '17:00', ['2025-03-08T14:00:00.000Z/2025-03-08T22:00:00.000Z']],
    ['America/New_York', '2025-03-09', '09:00', '17:00', ['2025-03-09T13:00:00.000Z/2025-03-09T21:00:00.000Z']],
    ['America/New_York', '2025-11-01', '09:00', '17:00', ['2025-11-01T13:00:00.000Z/2025-11-01T21:00:00.000Z']],
    ['America/New_York', '2025-11-02', '09:00', '17:00', ['2025-11-02T14:00:00.000Z/2025-11-02T22:00:00.000Z']],
    ['Europe/Berlin', '2025-03-29', '09:00', '17:00', ['2025-03-29T08:00:00.000Z/2025-03-29T16:00:00.000Z']],
    ['Europe/Berlin', '2025-03-30', '09:00', '17:00', ['2025-03-30T07:00:00.000Z/2025-03-30T15:00:00.000Z']],
    ['Europe/Berlin', '2025-10-26', '09:00', '17:00', ['2025-10-26T08:00:00.000Z/2025-10-26T16:00:00.000Z']],
    // Spring forward: 02:00–03:00 does not exist; 01:00–04:00 is two real hours.
    ['America/New_York', '2025-03-09', '01:00', '04:00', ['2025-03-09T06:00:00.000Z/2025-03-09T08:00:00.000Z']],
    ['Europe/Berlin', '2025-03-30', '02:00', '03:00', []],
    ['Europe/Berlin', '2025-03-30', '02:30', '04:00', ['2025-03-30T01:00:00.000Z/2025-03-30T02:00:00.000Z']],
    // Fall back: 01:00–02:00 (US) and 02:00–03:00 (EU) happen twice, and are open both times.
    ['America/New_York', '2025-11-02', '01:00', '02:00', ['2025-11-02T05:00:00.000Z/2025-11-02T07:00:00.000Z']],
    ['America/New_York', '2025-11-02', '01:30', '01:45', ['2025-11-02T05:30:00.000Z/2025-11-02T05:45:00.000Z', '2025-11-02T06:30:00.000Z/2025-11-02T06:45:00.000Z']],
    ['Europe/Berlin', '2025-10-26', '02:00', '03:00', ['2025-10-26T00:00:00.000Z/2025-10-26T02:00:00.000Z']],
    // Santiago changes at midnight (24:00 → 01:00 local in September).
    ['America/Santiago', '2025-09-07', '00:00', '02:00', ['2025-09-07T04:00:00.000Z/2025-09-07T05:00:00.000Z']],
  ])('%s %s %s–%s', (zone, date, start, end, expected) => {
    expect(day(zone, date, start, end)).toEqual(expected);
  });

  it('a day off removes the weekly hours, extra hours add to them', () => {
    const r: AvailabilityRules = {
      timeZone: 'Europe/Berlin',
      weekly: [{ weekday: 1, start: '09:00', end: '12:00' }],
      exceptions: [{ kind: 'off', date: '2025-03-31' }, { kind: 'extra', date: '2025-04-07', start: '14:00', end: '15:00' }],
    };
    const open = openIntervals(r, at('2025-03-30T00:00:00Z'), at('2025-04-08T00:00:00Z'));
    expect(open).toEqual([
      { start: at('2025-04-07T07:00:00Z'), end: at('2025-04-07T10:00:00Z') },
      { start: at('2025-04-07T12:00:00Z'), end: at('2025-04-07T13:00:00Z') },
    ]);
  });

  it('slots keep their local times on both sides of the change', () => {
    const r: AvailabilityRules = { timeZone: 'America/New_York', weekly: weekdays('09:00', '10:00'), exceptions: [] };
    const open = openIntervals(r, at('2025-03-08T00:00:00Z'), at('2025-03-11T00:00:00Z'));
    const slots = freeSlots(open, { durationMinutes: 30, stepMinutes: 30, busy: [] });
    expect(slots.map((s) => local(s.start, 'America/New_York'))).toEqual([
      '2025-03-08T09:00 -05:00', '2025-03-08T09:30 -05:00', '2025-03-09T09:00 -04:00', '2025-03-09T09:30 -04:00', '2025-03-10T09:00 -04:00', '2025-03-10T09:30 -04:00',
    ]);
  });
});
