import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinState, minutesUntilJoin, relativeDay, visitFormatter } from './visit-time';

describe('visit time for the reader', () => {
  const start = '2026-12-07T15:00:00.000Z';
  const end = '2026-12-07T15:30:00.000Z';

  it('opens the join button 15 minutes before and closes it an hour after the end (the server defaults)', () => {
    expect(joinState(new Date('2026-12-07T14:44:59Z'), start, end)).toBe('not-yet');
    expect(joinState(new Date('2026-12-07T14:45:00Z'), start, end)).toBe('open');
    expect(joinState(new Date('2026-12-07T16:30:00Z'), start, end)).toBe('open');
    expect(joinState(new Date('2026-12-07T16:30:01Z'), start, end)).toBe('closed');
    expect(minutesUntilJoin(new Date('2026-12-07T14:00:00Z'), start)).toBe(45);
    expect(minutesUntilJoin(new Date('2026-12-07T15:10:00Z'), start)).toBe(0);
  });

  it('property: the join state only moves forward in time', () => {
    const order = { 'not-yet': 0, open: 1, closed: 2 } as const;
    fc.assert(
      fc.property(fc.integer({ min: -600, max: 600 }), fc.integer({ min: 0, max: 300 }), (offset, later) => {
        const a = new Date(Date.parse(start) + offset * 60_000);
        const b = new Date(a.getTime() + later * 60_000);
        expect(order[joinState(b, start, end)]).toBeGreaterThanOrEqual(order[joinState(a, start, end)]);
      }),
    );
  });

  it('says today and tomorrow in the reader’s zone, also across a daylight-saving night', () => {
    const now = new Date('2026-12-07T03:00:00Z'); // 22:00 on the 6th in New York
    expect(relativeDay(new Date('2026-12-07T04:30:00Z'), now, 'America/New_York')).toBe('today');
    expect(relativeDay(new Date('2026-12-07T15:00:00Z'), now, 'America/New_York')).toBe('tomorrow');
    expect(relativeDay(new Date('2026-12-07T15:00:00Z'), now, 'UTC')).toBe('today');
    expect(relativeDay(new Date('2026-12-09T15:00:00Z'), now, 'UTC')).toBeUndefined();
    // 2026-03-08 is 23 hours long in New York.
    expect(relativeDay(new Date('2026-03-09T04:30:00Z'), new Date('2026-03-08T05:30:00Z'), 'America/New_York')).toBe('tomorrow');
    expect(relativeDay(new Date('2026-03-09T03:30:00Z'), new Date('2026-03-08T05:30:00Z'), 'America/New_York')).toBe('today');
  });

  it('gives the clinic’s time only when it differs from the reader’s', () => {
    const f = visitFormatter('en-US', 'UTC');
    expect(f.inZone(start, 'UTC')).toBeUndefined();
    expect(f.inZone(start, 'Europe/London')).toBeUndefined();
    expect(f.inZone(start, 'America/New_York')).toMatch(/^10:00\sAM \(.+\)$/);
    expect(visitFormatter('es', 'UTC').time(start)).toBe('15:00');
    expect(f.calendarDate('2026-12-07')).toBe('Monday, December 7');
  });
});
