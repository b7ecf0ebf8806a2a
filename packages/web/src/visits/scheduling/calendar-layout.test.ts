import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byStartDate, hourWindowFor, layoutDay, type TimedItem } from './calendar-layout';
import { dayBounds } from './zoned-time';

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const item = (id: string, startMin: number, durationMin: number, day = '2026-12-07T00:00:00Z'): TimedItem => ({ id, start: at(day, startMin), end: at(day, startMin + durationMin) });

describe('calendar layout', () => {
  const window = { fromHour: 8, toHour: 18 };

  it('puts a 30-minute visit at 09:00 on rows 5–7 of a 15-minute grid starting at 08:00', () => {
    const { rows, placed } = layoutDay([item('a', 9 * 60, 30)], '2026-12-07', 'UTC', window);
    expect(rows).toBe(40);
    expect(placed.map((p) => ({ id: p.item.id, rowStart: p.rowStart, rowEnd: p.rowEnd, lane: p.lane, lanes: p.lanes }))).toEqual([{ id: 'a', rowStart: 5, rowEnd: 7, lane: 0, lanes: 1 }]);
  });

  it('shares the width between overlapping visits and gives it back after them', () => {
    const items = [item('a', 9 * 60, 60), item('b', 9 * 60 + 30, 30), item('c', 9 * 60 + 45, 30), item('d', 11 * 60, 15)];
    const placed = layoutDay(items, '2026-12-07', 'UTC', window).placed;
    const by = (id: string) => placed.find((p) => p.item.id === id);
    expect(by('a')).toMatchObject({ lane: 0, lanes: 3 });
    expect(by('b')).toMatchObject({ lane: 1, lanes: 3 });
    expect(by('c')).toMatchObject({ lane: 2, lanes: 3 });
    expect(by('d')).toMatchObject({ lane: 0, lanes: 1 });
  });

  it('reuses a lane freed by an earlier visit in the same group', () => {
    const placed = layoutDay([item('a', 600, 60), item('b', 610, 20), item('c', 640, 30)], '2026-12-07', 'UTC', window).placed;
    expect(placed.map((p) => [p.item.id, p.lane, p.lanes])).toEqual([
      ['a', 0, 2],
      ['b', 1, 2],
      ['c', 1, 2],
    ]);
  });

  it('shows visits in the viewer’s zone (09:00 UTC is 04:00 in New York) and widens the hours to include them', () => {
    const items = [item('a', 9 * 60, 30)];
    const w = hourWindowFor(items, '2026-12-07', 'America/New_York');
    expect(w).toEqual({ fromHour: 4, toHour: 18 });
    expect(layoutDay(items, '2026-12-07', 'America/New_York', w).placed[0]).toMatchObject({ rowStart: 1, rowEnd: 3 });
    expect(layoutDay(items, '2026-12-07', 'America/New_York', window).placed).toEqual([]);
  });

  it('cuts an overnight visit at midnight and ignores visits of other days', () => {
    const items = [item('late', 23 * 60 + 30, 60), item('tomorrow', 24 * 60 + 9 * 60, 30)];
    const today = layoutDay(items, '2026-12-07', 'UTC', { fromHour: 0, toHour: 24 });
    expect(today.placed.map((p) => [p.item.id, p.rowStart, p.rowEnd])).toEqual([['late', 95, 97]]);
    const next = layoutDay(items, '2026-12-08', 'UTC', { fromHour: 0, toHour: 24 });
    expect(next.placed.map((p) => [p.item.id, p.rowStart, p.rowEnd])).toEqual([
      ['late', 1, 3],
      ['tomorrow', 37, 39],
    ]);
  });

  it('groups by local start date, sorted', () => {
    const groups = byStartDate([item('b', 23 * 60, 30), item('a', 60, 30)], 'America/New_York');
    expect([...groups.entries()].map(([d, list]) => [d, list.map((x) => x.id)])).toEqual([
      ['2026-12-06', ['a']],
      ['2026-12-07', ['b']],
    ]);
  });

  it('property: lanes never overlap, rows stay in the grid, and every visit of the day within the hours is placed', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Madrid'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.record({ start: fc.integer({ min: -120, max: 26 * 60 }), duration: fc.integer({ min: 5, max: 180 }) }), { maxLength: 25 }),
        (zone, raw) => {
          const day = '2026-11-01'; // a fall-back day in New York
          const base = dayBounds(day, zone).start.toISOString();
          const items = raw.map((r, i) => item(`i${i}`, r.start, r.duration, base));
          const w = hourWindowFor(items, day, zone);
          const { rows, placed } = layoutDay(items, day, zone, w, 15);
          for (const p of placed) {
            expect(p.rowStart).toBeGreaterThanOrEqual(1);
            expect(p.rowEnd).toBeGreaterThan(p.rowStart);
            expect(p.rowEnd).toBeLessThanOrEqual(rows + 1);
            expect(p.lane).toBeLessThan(p.lanes);
          }
          // Two placed visits that overlap in time never share a lane.
          const span = (x: TimedItem) => [Date.parse(x.start), Date.parse(x.end)] as const;
          for (const a of placed)
            for (const b of placed) {
              if (a === b) continue;
              const [as, ae] = span(a.item);
              const [bs, be] = span(b.item);
              if (as < be && bs < ae) expect(a.lane === b.lane && a.lanes === b.lanes).toBe(false);
            }
          // Every visit that touches the day appears exactly once.
          const b = dayBounds(day, zone);
          const touching = items.filter((x) => Date.parse(x.end) > b.start.getTime() && Date.parse(x.start) < b.end.getTime());
          expect(placed.map((p) => p.item.id).sort()).toEqual(touching.map((x) => x.id).sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
