import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodsEndingIn } from './billing-periods.js';
import { addDays, monthOf } from './local-date.js';

const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2025-01-01', n));

describe('device periods', () => {
  it.each([
    ['2026-10-01', '2026-10', [['2026-10-01', '2026-10-30']]],
    ['2026-10-01', '2026-11', [['2026-10-31', '2026-11-29']]],
    ['2026-10-01', '2026-09', []],
    // A 31-day month with a period ending on the 1st and another on the 31st.
    ['2026-12-03', '2026-12', []],
    ['2026-11-02', '2026-12', [['2026-11-02', '2026-12-01'], ['2026-12-02', '2026-12-31']]],
    // February can hold none: 1–30 January, then 31 January – 1 March.
    ['2027-01-01', '2027-02', []],
    // A period ending in a short February is reported there (found by the property below).
    ['2025-02-09', '2026-02', [['2026-01-05', '2026-02-03']]],
  ])('episode from %s, month %s → %j', (anchor, month, expected) => {
    expect(periodsEndingIn(anchor, month).map((p) => [p.start, p.end])).toEqual(expected);
  });

  it('reports every day after the anchor in exactly one period, in the month the period ends', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (anchor, offset) => {
        const d = addDays(anchor, offset);
        // The period holding d ends 0–29 days after d; look at every month from a month before d to
        // two after it (sampling a few offsets skipped short Februaries: 31 January + 29 days is March).
        const months = new Set(Array.from({ length: 92 }, (_, k) => monthOf(addDays(d, k - 31))));
        const holding = [...months].flatMap((m) => periodsEndingIn(anchor, m).map((p) => ({ m, p }))).filter(({ p }) => p.start <= d && d <= p.end);
        expect(holding).toHaveLength(1);
        const [h] = holding;
        expect(monthOf(h?.p.end ?? '')).toBe(h?.m);
      }),
    );
  });
});
