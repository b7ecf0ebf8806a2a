import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRpmBilling, formatMinutes, type RpmBillingInput, type RpmReading, type RpmTimeEntry } from './rpm-billing-rules.js';

const TZ = 'America/Denver';

/** One device reading at local 08:00 Denver (15:00 UTC in winter) on each of n days from start. */
function dailyReadings(start: string, n: number, source: RpmReading['source'] = 'device'): RpmReading[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(`${start}T15:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return { at: d, source };
  });
}

function minutes(m: number, s = 0, interactive = true, start = new Date('2026-11-10T17:00:00Z')): RpmTimeEntry {
  return { start, seconds: m * 60 + s, interactive };
}

function input(over: Partial<RpmBillingInput> = {}): RpmBillingInput {
  return {
    timeZone: TZ,
    consentDate: '2026-10-25',
    setupDate: '2026-11-01',
    setupBilled: true,
    periodStart: '2026-11-01',
    month: '2026-11',
    readings: [],
    timeEntries: [],
    billingPractitioner: 'Practitioner/doc',
    ...over,
  };
}

const codes = (i: RpmBillingInput): string[] => evaluateRpmBilling(i).lines.map((l) => (l.units > 1 ? `${l.code}x${String(l.units)}` : l.code));

describe('RPM device-supply days (99454 / 99445)', () => {
  it.each([
    [0, []],
    [1, []],
    [2, ['99445']],
    [15, ['99445']],
    [16, ['99454']],
    [30, ['99454']],
  ])('%i days of device readings → %j', (days, expected) => {
    expect(codes(input({ readings: dailyReadings('2026-11-01', days) }))).toEqual(expected);
  });

  it('never bills 99454 and 99445 for one period, however many readings a day', () => {
    const many = [...dailyReadings('2026-11-01', 20), ...dailyReadings('2026-11-01', 20), ...dailyReadings('2026-11-01', 20)];
    const c = codes(input({ readings: many }));
    expect(c).toContain('99454');
    expect(c).not.toContain('99445');
  });

  it('counts only device-transmitted readings, never patient-entered ones', () => {
    const r = input({ readings: [...dailyReadings('2026-11-01', 15), ...dailyReadings('2026-11-16', 10, 'patient-entered')] });
    expect(evaluateRpmBilling(r).deviceDays).toBe(15);
    expect(codes(r)).toEqual(['99445']);
  });

  it('counts the 30-day period from its first local day: day 30 counts, day 31 does not', () => {
    const r = evaluateRpmBilling(input({ readings: dailyReadings('2026-10-31', 32) }));
    expect(r.deviceDays).toBe(30);
  });

  it('counts days in the clinic time zone: 23:30 local on the 31st of October is outside a period starting 1 November', () => {
    // 2026-11-01T05:30Z is 2026-10-31 23:30 in Denver (MDT, UTC-6).
    const late = { at: new Date('2026-11-01T05:30:00Z'), source: 'device' as const };
    expect(evaluateRpmBilling(input({ readings: [late] })).deviceDays).toBe(0);
    expect(evaluateRpmBilling(input({ readings: [late], timeZone: 'UTC' })).deviceDays).toBe(1);
  });

  it('keeps local days right across the daylight-saving change (1 November 2026 in the US)', () => {
    // 00:30 and 23:30 local on 1 November (MDT then MST): one local day, two readings.
    const r = [{ at: new Date('2026-11-01T06:30:00Z'), source: 'device' as const }, { at: new Date('2026-11-02T06:30:00Z'), source: 'device' as const }];
    expect(evaluateRpmBilling(input({ readings: r })).deviceDays).toBe(1);
  });

  it('does not count monitoring before consent', () => {
    expect(evaluateRpmBilling(input({ consentDate: '2026-11-20', readings: dailyReadings('2026-11-01', 30) })).deviceDays).toBe(11);
  });
});

describe('RPM treatment management time (99470 / 99457 / 99458)', () => {
  it.each([
    [9, 59, []],
    [10, 0, ['99470']],
    [19, 59, ['99470']],
    [20, 0, ['99457']],
    [39, 59, ['99457']],
    [40, 0, ['99457', '99458']],
    [60, 0, ['99457', '99458x2']],
  ])('%i:%i in the month → %j', (m, s, expected) => {
    expect(codes(input({ timeEntries: [minutes(m, s)] }))).toEqual(expected);
  });

  it('adds entries up: 12 + 8 minutes is 20:00', () => {
    expect(codes(input({ timeEntries: [minutes(12, 0, true), minutes(8, 0, false)] }))).toEqual(['99457']);
  });

  it('needs an interactive communication in the month', () => {
    const r = evaluateRpmBilling(input({ timeEntries: [minutes(45, 0, false)] }));
    expect(r.lines).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/interactive/);
  });

  it('counts calendar months in the clinic time zone', () => {
    // 2026-12-01T03:00Z is still 30 November in Denver.
    const lateNovember = minutes(25, 0, true, new Date('2026-12-01T03:00:00Z'));
    expect(codes(input({ timeEntries: [lateNovember] }))).toEqual(['99457']);
    expect(codes(input({ timeEntries: [lateNovember], month: '2026-12' }))).toEqual([]);
  });
});

describe('RPM setup (99453), consent and the billing practitioner', () => {
  it('bills setup once per episode, after monitoring has begun', () => {
    const readings = dailyReadings('2026-11-01', 3);
    expect(codes(input({ setupBilled: false, readings }))).toEqual(['99445', '99453']);
    expect(codes(input({ setupBilled: true, readings }))).toEqual(['99445']);
    expect(codes(input({ setupBilled: false, readings: dailyReadings('2026-11-01', 1) }))).toEqual([]);
    expect(codes(input({ setupBilled: false, setupDate: null, readings }))).toEqual(['99445']);
  });

  it('bills nothing without consent or without a billing practitioner, and says why', () => {
    const full = { readings: dailyReadings('2026-11-01', 30), timeEntries: [minutes(45)], setupBilled: false };
    const noConsent = evaluateRpmBilling(input({ ...full, consentDate: null }));
    expect(noConsent.lines).toEqual([]);
    expect(noConsent.notes[0]).toMatch(/consent/);
    expect(evaluateRpmBilling(input({ ...full, billingPractitioner: null })).lines).toEqual([]);
    expect(codes(input(full))).toEqual(['99453', '99454', '99457', '99458']);
  });
});

describe('RPM rules: judging part of a month', () => {
  const full = { readings: dailyReadings('2026-11-01', 20), timeEntries: [minutes(25)], setupBilled: false };
  it('device only: supply and setup, no time codes and no note about time', () => {
    const r = evaluateRpmBilling(input({ ...full, include: 'device' }));
    expect(r.lines.map((l) => l.code)).toEqual(['99453', '99454']);
    expect(r.notes).toEqual([]);
  });
  it('management only: time codes, no supply, no setup', () => {
    const r = evaluateRpmBilling(input({ ...full, include: 'management' }));
    expect(r.lines.map((l) => l.code)).toEqual(['99457']);
    expect(r.notes).toEqual([]);
  });
});

describe('RPM rules: invariants', () => {
  it('never bills both codes of an exclusive pair, and 99458 only with 99457', () => {
    const arb = fc.record({
      days: fc.integer({ min: 0, max: 40 }),
      patientDays: fc.integer({ min: 0, max: 40 }),
      seconds: fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 6 }),
      interactive: fc.boolean(),
      consent: fc.boolean(),
      setupBilled: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const r = evaluateRpmBilling(input({
          consentDate: a.consent ? '2026-10-01' : null,
          setupBilled: a.setupBilled,
          readings: [...dailyReadings('2026-11-01', a.days), ...dailyReadings('2026-11-01', a.patientDays, 'patient-entered')],
          timeEntries: a.seconds.map((s, i) => ({ start: new Date('2026-11-10T17:00:00Z'), seconds: s, interactive: a.interactive && i === 0 })),
        }));
        const has = (c: string): boolean => r.lines.some((l) => l.code === c);
        expect(has('99454') && has('99445')).toBe(false);
        expect(has('99457') && has('99470')).toBe(false);
        if (has('99458')) expect(has('99457')).toBe(true);
        expect(r.deviceDays).toBeLessThanOrEqual(Math.min(30, a.days));
        if (!a.consent) expect(r.lines).toEqual([]);
        for (const l of r.lines) expect(l.units).toBeGreaterThan(0);
      }),
    );
  });

  it('formats time as m:ss', () => {
    expect(formatMinutes(1199)).toBe('19:59');
    expect(formatMinutes(1200)).toBe('20:00');
  });
});
