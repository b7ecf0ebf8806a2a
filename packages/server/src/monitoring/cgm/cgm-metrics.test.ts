import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ambulatoryGlucoseProfile, percentile, rangeOf, summarizeCgm, type GlucoseValue } from './cgm-metrics.js';

const FROM = new Date('2026-11-09T07:00:00Z');
const TO = new Date('2026-11-23T07:00:00Z');
const every5 = (values: readonly number[], start = FROM): GlucoseValue[] => values.map((value, i) => ({ at: new Date(start.getTime() + i * 300_000), value }));

describe('CGM ranges (International Consensus 2019)', () => {
  it.each([
    [53, 'veryLow'],
    [54, 'low'],
    [69, 'low'],
    [70, 'inRange'],
    [180, 'inRange'],
    [181, 'high'],
    [250, 'high'],
    [251, 'veryHigh'],
  ] as const)('%i mg/dL → %s', (v, range) => {
    expect(rangeOf(v)).toBe(range);
  });
});

describe('CGM summary', () => {
  it('computes percentages, mean, GMI, CV and wear over the window', () => {
    // 14 days at one reading per 5 minutes = 4,032 expected; supply half of them.
    const values = every5(Array.from({ length: 2016 }, (_, i) => (i % 10 === 0 ? 60 : 150)));
    const s = summarizeCgm(values, FROM, TO);
    expect(s.readings).toBe(2016);
    expect(s.sensorActivePercent).toBe(50);
    expect(s.ranges).toEqual({ veryLow: 0, low: 10, inRange: 90, high: 0, veryHigh: 0 });
    expect(s.meanMgDl).toBe(141);
    expect(s.gmiPercent).toBe(6.7); // 3.31 + 0.02392 × 141
    expect(s.cvPercent).toBeGreaterThan(0);
  });

  it('ignores readings outside the window and reports nothing for an empty one', () => {
    const s = summarizeCgm(every5([100, 100], new Date('2026-11-01T00:00:00Z')), FROM, TO);
    expect(s).toMatchObject({ readings: 0, meanMgDl: null, gmiPercent: null });
  });

  it('range percentages sum to about 100 for any non-empty data', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 39, max: 401 }), { minLength: 1, maxLength: 500 }), (vals) => {
      const r = summarizeCgm(every5(vals), FROM, TO).ranges;
      expect(Math.abs(r.veryLow + r.low + r.inRange + r.high + r.veryHigh - 100)).toBeLessThanOrEqual(0.5);
    }));
  });
});

describe('Ambulatory Glucose Profile', () => {
  it('folds days onto local time of day with ordered percentile bands', () => {
    // 07:00Z is midnight in Denver (MST): every day's first reading lands in the 00:00 bin.
    const days = Array.from({ length: 14 }, (_, d) => ({ at: new Date(FROM.getTime() + d * 86_400_000), value: 80 + d * 10 }));
    const agp = ambulatoryGlucoseProfile(days, 'America/Denver');
    expect(agp).toHaveLength(24);
    expect(agp[0]).toMatchObject({ minute: 0, count: 14, p50: 145, p5: 87, p95: 204 });
    expect(agp[1]?.count).toBe(0);
  });

  it('percentiles are ordered for any data', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 39, max: 401 }), { minLength: 1, maxLength: 200 }), (vals) => {
      const s = [...vals].sort((a, b) => a - b);
      const ps = [5, 25, 50, 75, 95].map((p) => percentile(s, p) ?? NaN);
      for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThanOrEqual(ps[i - 1] ?? 0);
      expect(ps[0]).toBeGreaterThanOrEqual(s[0] ?? 0);
    }));
  });
});
