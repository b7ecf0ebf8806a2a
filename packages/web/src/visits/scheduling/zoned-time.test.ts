import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dateIn, dayBounds, hhmm, instantOf, isCalendarDate, isoWeekday, minuteOfDay, parseHhmm, startOfWeek, weekDays, zoneOffsetMinutes, zonedParts } from './zoned-time';

const ZONES = ['UTC', 'America/New_York', 'Europe/Madrid', 'America/Mexico_City', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham'];

describe('zoned time', () => {
  it('knows offsets on both sides of a daylight-saving change', () => {
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('moves a wall-clock time skipped by spring-forward past the gap, and takes the first of a repeated one', () => {
    // New York, 2026-03-08: 02:00 EST → 03:00 EDT.
    expect(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // New York, 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Madrid, 2026-10-25: 02:30 at 00:30Z (CEST) and 01:30Z (CET).
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Madrid').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('has 23- and 25-hour days on change days', () => {
    const spring = dayBounds('2026-03-08', 'America/New_York');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const fall = dayBounds('2026-11-01', 'America/New_York');
    expect(fall.end.getTime() - fall.start.getTime()).toBe(25 * 3_600_000);
    expect(dayBounds('2026-06-01', 'Europe/Madrid').start.toISOString()).toBe('2026-05-31T22:00:00.000Z');
  });

  it('property: an instant → its wall clock → the instant again (up to the repeated hour of fall-back)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        const instant = new Date(Math.floor(ms / 60_000) * 60_000);
        const back = instantOf(zonedParts(instant, zone), zone);
        // Either the same instant, or the earlier occurrence of the same wall clock.
        expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(zonedParts(back, zone)).toEqual(zonedParts(instant, zone));
        expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(3 * 3_600_000);
      }),
      { numRuns: 400 },
    );
  });

  it('property: every instant of a day lies within its bounds, and the bounds tile the days', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        const instant = new Date(ms);
        const day = dateIn(instant, zone);
        const b = dayBounds(day, zone);
        expect(b.start.getTime()).toBeLessThanOrEqual(ms);
        expect(b.end.getTime()).toBeGreaterThan(ms);
        expect(dayBounds(addDays(day, 1), zone).start).toEqual(b.end);
        expect(minuteOfDay(b.start, zone)).toBeLessThan(24 * 60);
      }),
      { numRuns: 300 },
    );
  });

  it('weeks start on Monday and have seven consecutive dates', () => {
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(startOfWeek('2026-12-06')).toBe('2026-11-30');
    expect(weekDays('2026-12-31')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const d = addDays('2000-01-01', n);
        const week = weekDays(d);
        expect(week).toHaveLength(7);
        expect(week).toContain(d);
        expect(isoWeekday(week[0] ?? '')).toBe(1);
        week.forEach((w, i) => expect(addDays(week[0] ?? '', i)).toBe(w));
        expect(isCalendarDate(d)).toBe(true);
      }),
    );
  });

  it('reads and writes HH:MM', () => {
    expect(parseHhmm('09:30')).toBe(570);
    expect(parseHhmm('24:00')).toBe(1440);
    expect(parseHhmm('24:30')).toBeUndefined();
    expect(parseHhmm('9:30')).toBeUndefined();
    expect(isCalendarDate('2026-02-29')).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1440 }), (m) => {
        expect(parseHhmm(hhmm(m))).toBe(m);
      }),
    );
  });
});
