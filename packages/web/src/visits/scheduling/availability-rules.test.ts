import { ZAvailabilityInput } from '@careline/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeProblems, toWeeklyRules, type EditableRange } from './availability-rules';
import { hhmm } from './zoned-time';

const r = (key: string, weekday: number, start: string, end: string): EditableRange => ({ key, weekday, start, end });

describe('weekly hours editor checks', () => {
  it('flags reversed, empty and overlapping ranges, per day', () => {
    const problems = rangeProblems([r('a', 1, '09:00', '12:00'), r('b', 1, '11:30', '13:00'), r('c', 2, '11:30', '13:00'), r('d', 3, '14:00', '13:00'), r('e', 3, '', '10:00'), r('f', 1, '12:00', '17:00')]);
    expect(Object.fromEntries(problems)).toEqual({ a: 'overlap', b: 'overlap', d: 'invalid', e: 'invalid', f: 'overlap' });
    expect(rangeProblems([r('a', 1, '09:00', '12:00'), r('b', 1, '12:00', '24:00')]).size).toBe(0);
  });

  it('property: ranges without problems always make an input the server contract accepts', () => {
    const range = fc.record({ weekday: fc.integer({ min: 1, max: 7 }), from: fc.integer({ min: 0, max: 96 }), len: fc.integer({ min: -4, max: 40 }) });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), (raw) => {
        const ranges = raw.map((x, i) => r(`k${i}`, x.weekday, hhmm(x.from * 15), hhmm(Math.min(96, Math.max(0, x.from + x.len)) * 15)));
        const problems = rangeProblems(ranges);
        const good = ranges.filter((x) => !problems.has(x.key));
        const parsed = ZAvailabilityInput.safeParse({ timeZone: 'Europe/Madrid', weekly: toWeeklyRules(good), exceptions: [] });
        expect(parsed.success).toBe(true);
        // And the good ones never overlap one another.
        expect(rangeProblems(good).size).toBe(0);
      }),
    );
  });
});
