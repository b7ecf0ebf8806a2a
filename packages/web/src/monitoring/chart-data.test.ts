import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TAgpBin } from '../api/monitoring-api';
import { agpRows, breaks, minuteLabel, referenceLines, seriesStats, tirBar, tirSegments, trendRows, yDomain } from './chart-data';
import { chartsFor } from './measures';

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();

describe('trend chart data', () => {
  it('merges systolic and diastolic taken at the same instant into one row, oldest first', () => {
    const rows = trendRows([
      { measure: 'systolic', points: [{ at: at(9), value: 150, origin: 'device' }, { at: at(8), value: 140, origin: 'device' }] },
      { measure: 'diastolic', points: [{ at: at(8), value: 90, origin: 'device' }, { at: at(10), value: 85, origin: 'patient-entered' }] },
    ]);
    expect(rows).toEqual([
      { t: Date.parse(at(8)), systolic: 140, diastolic: 90 },
      { t: Date.parse(at(9)), systolic: 150 },
      { t: Date.parse(at(10)), diastolic: 85 },
    ]);
  });

  it('keeps every point of every series, in time order', () => {
    const point = fc.record({ at: fc.integer({ min: 0, max: 1e6 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString()), value: fc.integer({ min: 1, max: 300 }), origin: fc.constant('device' as const) });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), fc.array(point, { maxLength: 30 }), (a, b) => {
        const rows = trendRows([{ measure: 'systolic', points: a }, { measure: 'diastolic', points: b }]);
        for (let i = 1; i < rows.length; i++) expect((rows[i]?.t ?? 0) > (rows[i - 1]?.t ?? 0)).toBe(true);
        expect(rows.filter((r) => 'systolic' in r)).toHaveLength(new Set(a.map((p) => p.at)).size);
        expect(rows.filter((r) => 'diastolic' in r)).toHaveLength(new Set(b.map((p) => p.at)).size);
      }),
    );
  });

  it('draws each limit once, and the y axis shows every point and every limit', () => {
    const series = [
      { measure: 'systolic', points: [{ at: at(1), value: 150, origin: 'device' as const }], thresholds: [{ rule: 'a', comparator: '>=', value: 180, severity: 'high' }, { rule: 'b', comparator: '<=', value: 90, severity: 'high' }, { rule: 'c', comparator: '>=', value: 180, severity: 'high' }] },
    ];
    const lines = referenceLines(series);
    expect(lines.map((l) => l.value)).toEqual([180, 90]);
    const [lo = 0, hi = 0] = yDomain(trendRows(series), ['systolic'], lines) ?? [];
    expect(lo).toBeLessThan(90);
    expect(hi).toBeGreaterThan(180);
    expect(yDomain([], ['systolic'], [])).toBeUndefined();
  });

  it('describes a series in numbers, counting readings off limits', () => {
    const stats = seriesStats({
      points: [{ at: at(1), value: 120, origin: 'device' }, { at: at(3), value: 185, origin: 'device' }, { at: at(2), value: 88, origin: 'patient-entered' }],
      thresholds: [{ rule: 'h', comparator: '>=', value: 180, severity: 'high' }, { rule: 'l', comparator: '<=', value: 90, severity: 'high' }],
    });
    expect(stats).toEqual({ count: 3, min: 88, max: 185, latest: { value: 185, at: at(3) }, outside: 2 });
    expect(seriesStats({ points: [], thresholds: [] }).latest).toBeNull();
    expect([breaks(180, '>=', 180), breaks(180, '>', 180), breaks(53, '<', 54), breaks(90, '<=', 90), breaks(1, '??', 0)]).toEqual([true, false, true, true, false]);
  });

  it('picks the charts of the patient’s programs, or all', () => {
    expect(chartsFor(['heart-failure'])).toEqual(['weight', 'bp', 'heart-rate']);
    expect(chartsFor(['diabetes-cgm', 'hypertension'])).toEqual(['glucose', 'bp', 'heart-rate']);
    expect(chartsFor([])).toEqual(['bp', 'weight', 'spo2', 'heart-rate', 'glucose']);
  });
});

describe('CGM chart data', () => {
  it('stacks time in ranges from very high to very low', () => {
    const ranges = { veryLow: 1.04, low: 3, inRange: 72.5, high: 18, veryHigh: 5.46 };
    expect(tirSegments(ranges)).toEqual([
      { key: 'veryHigh', percent: 5.5 },
      { key: 'high', percent: 18 },
      { key: 'inRange', percent: 72.5 },
      { key: 'low', percent: 3 },
      { key: 'veryLow', percent: 1 },
    ]);
    expect(tirBar(ranges, '14 days')).toMatchObject({ label: '14 days', inRange: 72.5 });
  });

  it('shapes AGP bins into ordered bands, skipping empty bins', () => {
    const bin = fc.record({
      minute: fc.integer({ min: 0, max: 23 }).map((h) => h * 60),
      count: fc.nat(50),
      p5: fc.option(fc.integer({ min: 39, max: 401 })),
      p25: fc.option(fc.integer({ min: 39, max: 401 })),
      p50: fc.option(fc.integer({ min: 39, max: 401 })),
      p75: fc.option(fc.integer({ min: 39, max: 401 })),
      p95: fc.option(fc.integer({ min: 39, max: 401 })),
    });
    fc.assert(
      fc.property(fc.array(bin, { maxLength: 24 }), (bins: TAgpBin[]) => {
        const rows = agpRows(bins);
        expect(rows).toHaveLength(bins.filter((b) => b.count > 0 && [b.p5, b.p25, b.p50, b.p75, b.p95].every((p) => p !== null)).length);
        for (const r of rows) {
          expect(r.p5 <= r.p25 && r.p25 <= r.p50 && r.p50 <= r.p75 && r.p75 <= r.p95).toBe(true);
          expect(r.outer).toEqual([r.p5, r.p95]);
          expect(r.inner).toEqual([r.p25, r.p75]);
        }
      }),
    );
  });

  it('labels minutes of the day', () => {
    expect([minuteLabel(0), minuteLabel(75), minuteLabel(1439), minuteLabel(1440)]).toEqual(['00:00', '01:15', '23:59', '00:00']);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1439 }), (m) => { expect(minuteLabel(m)).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/); }));
  });
});
