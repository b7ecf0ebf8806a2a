import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReading, localMinute, parseDecimal, RANGES, type ReadingFormValues } from './reading-form';
import { elapsedSeconds, formatDuration, monthOf, recentMonths } from './time-format';

const NOW = new Date(2026, 11, 6, 12, 0);
const base: ReadingFormValues = { type: 'blood-pressure', systolic: '128', diastolic: '82', pulse: '', value: '', unit: '', takenAt: localMinute(new Date(2026, 11, 6, 8, 30)) };

describe('the add-a-reading form', () => {
  it('builds a blood pressure reading, with the pulse when given', () => {
    const ok = checkReading({ ...base, pulse: '71' }, NOW);
    expect(ok.errors).toEqual({});
    expect(ok.reading).toEqual({ type: 'blood-pressure', systolic: 128, diastolic: 82, pulse: 71, takenAt: new Date(2026, 11, 6, 8, 30).toISOString() });
  });

  it('names each field that is wrong and why', () => {
    expect(checkReading({ ...base, systolic: '', diastolic: 'abc' }, NOW).errors).toEqual({ systolic: { problem: 'required' }, diastolic: { problem: 'number' } });
    expect(checkReading({ ...base, systolic: '400' }, NOW).errors.systolic).toEqual({ problem: 'range', min: 40, max: 300 });
    expect(checkReading({ ...base, systolic: '80', diastolic: '90' }, NOW).errors.diastolic).toEqual({ problem: 'order' });
    expect(checkReading({ ...base, takenAt: localMinute(new Date(2026, 11, 6, 13, 0)) }, NOW).errors.takenAt).toEqual({ problem: 'future' });
    expect(checkReading({ ...base, takenAt: localMinute(new Date(2025, 10, 1)) }, NOW).errors.takenAt).toEqual({ problem: 'old' });
    expect(checkReading({ ...base, takenAt: '' }, NOW).reading).toBeUndefined();
  });

  it('accepts decimal commas and converts nothing itself (the unit is sent)', () => {
    const w = checkReading({ ...base, type: 'weight', value: '82,4', unit: 'kg' }, NOW);
    expect(w.reading).toEqual({ type: 'weight', value: 82.4, unit: 'kg', takenAt: new Date(2026, 11, 6, 8, 30).toISOString() });
    expect(checkReading({ ...base, type: 'glucose', value: '5.6', unit: 'mmol/L' }, NOW).reading).toMatchObject({ value: 5.6, unit: 'mmol/L' });
    expect(checkReading({ ...base, type: 'glucose', value: '5.6', unit: 'mg/dL' }, NOW).errors.value?.problem).toBe('range');
    expect([parseDecimal(' 7 '), parseDecimal('1e3'), parseDecimal('')].map(Number.isNaN)).toEqual([false, true, true]);
  });

  it('accepts exactly the values inside the server’s plausible range', () => {
    const kinds = ['spo2:%', 'weight:kg', 'weight:lb', 'glucose:mg/dL', 'heart-rate:beats/minute', 'temperature:Cel'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.double({ min: -10, max: 1200, noNaN: true }), (kind, raw) => {
        const [type, unit] = kind.split(':') as [ReadingFormValues['type'], string];
        const value = Math.round(raw * 10) / 10;
        const [min = 0, max = 0] = RANGES[kind] ?? [];
        const out = checkReading({ ...base, type, unit, value: String(value) }, NOW);
        expect(out.reading !== undefined).toBe(value >= min && value <= max);
      }),
    );
  });
});

describe('time helpers', () => {
  it('formats durations and months', () => {
    expect([formatDuration(0), formatDuration(59), formatDuration(1200), formatDuration(3725)]).toEqual(['0:00', '0:59', '20:00', '1:02:05']);
    expect(monthOf(new Date(2026, 0, 31))).toBe('2026-01');
    expect(recentMonths(new Date(2026, 1, 15), 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(elapsedSeconds(10_000, 5_000)).toBe(0);
    fc.assert(fc.property(fc.nat(200_000), (s) => { expect(formatDuration(s)).toMatch(/^(\d+:)?\d+:[0-5]\d$/); }));
  });
});
