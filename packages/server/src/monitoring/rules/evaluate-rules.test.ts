import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateMissed, evaluateOnReading, type MeasuredValue } from './evaluate-rules.js';
import { PROGRAM_DEFAULTS } from './program-defaults.js';
import { ZMonitoringRules, type MonitoringRule } from './rule-contract.js';

const T0 = new Date('2026-11-01T08:00:00Z').getTime();
const H = 3_600_000;
const v = (measure: string, value: number, hoursAfter: number): MeasuredValue => ({ measure, value, at: new Date(T0 + hoursAfter * H) });
const ids = (rules: readonly MonitoringRule[], latest: MeasuredValue, history: MeasuredValue[] = []): string[] => evaluateOnReading(rules, latest, history).map((h) => h.ruleId).sort();

const HTN = PROGRAM_DEFAULTS.hypertension;
const HF = PROGRAM_DEFAULTS['heart-failure'];
const CGM = PROGRAM_DEFAULTS['diabetes-cgm'];

describe('absolute limits', () => {
  it.each([
    [179, []],
    [180, ['systolic-high']],
    [91, []],
    [90, ['systolic-low']],
  ])('systolic %i → %j', (value, expected) => {
    expect(ids(HTN, v('8480-6', value, 0))).toEqual(expected);
  });

  it('a reading of one vital never fires rules about another', () => {
    expect(ids(HTN, v('8867-4', 190, 0))).toEqual([]);
  });

  it('CGM: 54 is not level-2 hypoglycaemia, 53 is', () => {
    expect(ids(CGM, v('99504-3', 54, 0))).toEqual([]);
    expect(ids(CGM, v('99504-3', 53, 0))).toEqual(['cgm-very-low']);
  });
});

describe('sustained: 3 of the last 5 at or above 160', () => {
  const history = (values: number[]): MeasuredValue[] => values.map((x, i) => v('8480-6', x, i));
  it.each([
    [[150, 150, 170, 161], 165, ['systolic-sustained']],
    [[161, 150, 150, 150], 165, []],
    [[150, 165, 150, 150], 165, []],
    [[170, 150, 150, 150, 150, 165], 165, []],
    [[150, 150, 160, 160], 150, []],
  ])('history %j then %i → %j', (before, latest, expected) => {
    expect(ids(HTN, v('8480-6', latest, before.length), history(before))).toEqual(expected);
  });

  it('a replayed reading counts once', () => {
    const h = [v('8480-6', 165, 1), v('8480-6', 165, 1), v('8480-6', 150, 2), v('8480-6', 150, 3)];
    expect(ids(HTN, v('8480-6', 165, 4), h)).toEqual([]);
  });
});

describe('heart-failure weight trend', () => {
  it.each([
    [[80], 24, 80.9, []],
    [[80], 24, 81, ['weight-day']],
    [[80], 25, 81, []],
    [[80, 80.5, 81, 81.6], 24 * 6, 82.3, ['weight-week']],
    [[80, 80.5, 81, 81.6], 24 * 8, 82.3, []],
  ])('earlier %j, then after %i h %f kg → %j', (earlier, hours, latest, expected) => {
    const step = hours / earlier.length;
    const h = earlier.map((x, i) => v('29463-7', x, i * step));
    expect(ids(HF, v('29463-7', latest, hours), h)).toEqual(expected);
  });
});

describe('CGM time below 70 over 14 days', () => {
  const series = (n: number, low: number): MeasuredValue[] => Array.from({ length: n }, (_, i) => v('99504-3', i < low ? 65 : 120, (i * 14 * 24) / n));
  it('fires above 4%, not at 4% or with too few readings', () => {
    // 1,000 readings over 14 days; the latest (in range) closes the window.
    expect(ids(CGM, v('99504-3', 120, 14 * 24), series(999, 41))).toEqual(['cgm-time-below']);
    expect(ids(CGM, v('99504-3', 120, 14 * 24), series(999, 40))).toEqual([]);
    expect(ids(CGM, v('99504-3', 120, 14 * 24), series(100, 50))).toEqual([]);
  });
});

describe('missed readings', () => {
  it('fires after N whole days without a reading, counting from enrolment when there is none', () => {
    const rules = HTN;
    const enrolled = new Date(T0);
    expect(evaluateMissed(rules, new Date(T0), new Date(T0 + 72 * H - 1), enrolled)).toEqual([]);
    expect(evaluateMissed(rules, new Date(T0), new Date(T0 + 72 * H), enrolled).map((h) => h.ruleId)).toEqual(['missed']);
    expect(evaluateMissed(rules, null, new Date(T0 + 80 * H), enrolled).map((h) => h.ruleId)).toEqual(['missed']);
  });
});

describe('rule contract', () => {
  it('accepts every program default', () => {
    for (const rules of Object.values(PROGRAM_DEFAULTS)) expect(ZMonitoringRules.safeParse(rules).success).toBe(true);
  });

  it('refuses duplicate ids, count above of, and unknown kinds', () => {
    expect(ZMonitoringRules.safeParse([...HTN, HTN[0]]).success).toBe(false);
    expect(ZMonitoringRules.safeParse([{ id: 'x', kind: 'sustained', measure: '8480-6', comparator: '>=', value: 1, count: 6, of: 5 }]).success).toBe(false);
    expect(ZMonitoringRules.safeParse([{ id: 'x', kind: 'magic' }]).success).toBe(false);
  });

  it('never throws on arbitrary input, and what it accepts evaluates without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.double({ noNaN: true, noDefaultInfinity: true }), (input, value) => {
        const parsed = ZMonitoringRules.safeParse(input);
        if (parsed.success) evaluateOnReading(parsed.data, v('8480-6', value, 0), []);
      }),
    );
  });

  it('absolute rules fire exactly when the comparator holds', () => {
    fc.assert(
      fc.property(fc.constantFrom('>=', '<=', '>', '<'), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (comparator, limit, value) => {
        const rules = ZMonitoringRules.parse([{ id: 'r', kind: 'absolute', measure: '8480-6', comparator, value: limit }]);
        const fired = ids(rules, v('8480-6', value, 0)).length === 1;
        const holds = comparator === '>=' ? value >= limit : comparator === '<=' ? value <= limit : comparator === '>' ? value > limit : value < limit;
        expect(fired).toBe(holds);
      }),
    );
  });
});
