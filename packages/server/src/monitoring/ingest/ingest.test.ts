import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateResource } from '../../fhir/validation/validate-resource.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { assertReadings, checkReading, readingKey, toCanonical, toObservation, type DeviceReading } from './device-reading.js';
import { entryToReading, observationToEntry, ZNightscoutEntries, ZNightscoutEntry } from './nightscout-entries.js';
import { webhookReadings, ZWebhookBody } from './webhook-contract.js';
import type { KindName } from './vital-kinds.js';

const NOW = new Date('2026-11-23T15:00:00Z');
const ctx = { patient: 'Patient/p1', device: 'Device/d1', received: NOW, origin: 'device' as const };
const single = (kind: KindName, value: number): DeviceReading => ({ kind, values: { [kind]: value }, effective: '2026-11-23T08:00:00Z' });
const bp = (systolic: number, diastolic: number, effective = '2026-11-23T08:00:00-07:00'): DeviceReading => ({ kind: 'blood-pressure', values: { systolic, diastolic }, effective });

describe('plausibility and time', () => {
  it.each([
    [bp(128, 82), 0],
    [bp(300, 120), 0],
    [bp(400, 82), 1],
    [bp(128, 10), 1],
    [bp(80, 90), 1],
    [single('spo2', 101), 1],
    [single('weight', 81.2), 0],
    [single('heart-rate', Number.NaN), 1],
  ])('%j → %i problem(s)', (reading, n) => {
    expect(checkReading(reading, NOW, 'readings[0]')).toHaveLength(n);
  });

  it('refuses a reading from the future beyond five minutes of clock skew, and says so', () => {
    expect(checkReading(bp(120, 80, '2026-11-23T15:04:00Z'), NOW, 'r')).toEqual([]);
    const [problem] = checkReading(bp(120, 80, '2026-11-23T15:06:00Z'), NOW, 'readings[3]');
    expect(problem?.path).toBe('readings[3].effective');
    expect(problem?.message).toMatch(/future/);
  });

  it('refuses the whole batch with every problem located, as a 400', () => {
    let caught: unknown;
    try {
      assertReadings([bp(120, 80), bp(400, 80), bp(120, 80, '2030-01-01T00:00:00Z')], NOW, (i) => `readings[${String(i)}]`);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CarelineError);
    const outcome = (caught as CarelineError).toOperationOutcome() as { issue: { expression?: string[] }[] };
    expect(outcome.issue.map((i) => i.expression?.[0])).toEqual(['readings[1].systolic', 'readings[2].effective']);
  });
});

describe('units', () => {
  it.each([
    ['weight', 180, 'lb', 81.65],
    ['weight', 80, 'kg', 80],
    ['temperature', 98.6, 'degF', 37],
    ['glucose', 5.5, 'mmol/L', 99.09],
    ['glucose', 5.5, 'furlongs', undefined],
    ['weight', 80, 'mmol/L', undefined],
  ] as const)('%s %f %s → %s', (kind, value, unit, expected) => {
    expect(toCanonical(kind, value, unit)).toBe(expected);
  });
});

describe('Observation', () => {
  it('is valid FHIR R4 with LOINC codes, UCUM units, the device, device time and receipt time', () => {
    for (const r of [bp(128, 82), { kind: 'cgm-glucose', values: { 'cgm-glucose': 104 }, effective: '2026-11-23T14:55:00Z', trend: 'Flat' } as DeviceReading]) {
      const o = toObservation(r, ctx);
      const v = validateResource(o);
      expect(v.ok, JSON.stringify(v.ok ? [] : v.issues)).toBe(true);
      expect(o).toMatchObject({ subject: { reference: 'Patient/p1' }, device: { reference: 'Device/d1' }, effectiveDateTime: r.effective, issued: NOW.toISOString() });
    }
    expect(toObservation(bp(128, 82), ctx)).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 128, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 82, code: 'mm[Hg]' } },
      ],
    });
  });

  it('keys a replay to the same identity: device + identifier, else device + code + instant', () => {
    expect(readingKey({ ...bp(120, 80), identifier: 'x1' }, 'Device/d1')).toBe('Device/d1|id|x1');
    // The same instant written with two offsets is one reading.
    expect(readingKey(bp(120, 80, '2026-11-23T08:00:00-07:00'), 'Device/d1')).toBe(readingKey(bp(121, 80, '2026-11-23T15:00:00Z'), 'Device/d1'));
    expect(readingKey(bp(120, 80), 'Device/d1')).not.toBe(readingKey(bp(120, 80), 'Device/d2'));
  });
});

describe('webhook body', () => {
  it('expands a cuff reading with pulse into blood pressure and heart rate, and converts pounds', () => {
    const body = ZWebhookBody.parse({
      readings: [
        { id: 'r-1', type: 'blood-pressure', systolic: 128, diastolic: 82, pulse: 71, takenAt: '2026-11-23T08:00:00-07:00' },
        { id: 'r-2', type: 'weight', value: 182.4, unit: 'lb', takenAt: '2026-11-23T08:01:00-07:00' },
      ],
    });
    const { readings, sources, problems } = webhookReadings(body);
    expect(problems).toEqual([]);
    expect(readings.map((r) => r.kind)).toEqual(['blood-pressure', 'heart-rate', 'weight']);
    expect(sources).toEqual([0, 0, 1]);
    expect(readings[2]?.values.weight).toBe(82.74);
    expect(readings[1]?.identifier).toBe('r-1/pulse');
  });

  it('refuses a time without a zone, an unknown type and an empty batch', () => {
    expect(ZWebhookBody.safeParse({ readings: [{ type: 'weight', value: 80, takenAt: '2026-11-23T08:00:00' }] }).success).toBe(false);
    expect(ZWebhookBody.safeParse({ readings: [{ type: 'mood', value: 3, takenAt: '2026-11-23T08:00:00Z' }] }).success).toBe(false);
    expect(ZWebhookBody.safeParse({ readings: [] }).success).toBe(false);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      const parsed = ZWebhookBody.safeParse(j);
      if (parsed.success) webhookReadings(parsed.data);
    }));
  });
});

describe('Nightscout entries', () => {
  // Shapes as the uploaders send them (fields trimmed to what they really include).
  const xdrip = { device: 'xDrip-DexcomG6', date: 1763910000000, dateString: '2025-11-23T15:00:00.000Z', sgv: 120, delta: -1.5, direction: 'Flat', type: 'sgv', filtered: 118000, unfiltered: 119000, rssi: 100, noise: 1, sysTime: '2025-11-23T15:00:00.000Z' };
  const aaps = { type: 'sgv', sgv: 65, date: 1763910300000, dateString: '2025-11-23T15:05:00.000Z', direction: 'FortyFiveDown', device: 'AndroidAPS-DexcomG6', app: 'AAPS', units: 'mg/dl', identifier: '9f1c1ad6-0f9f-4b47-9b36-1a8c9f0e3c11', isValid: true };
  const meter = { type: 'mbg', mbg: 142, date: 1763910600000, device: 'xDrip-Meter' };

  it('accepts real uploader shapes and maps sgv and mbg', () => {
    const parsed = ZNightscoutEntries.parse([xdrip, aaps, meter]);
    const outcomes = (Array.isArray(parsed) ? parsed : [parsed]).map(entryToReading);
    expect(outcomes.map((o) => o.kind)).toEqual(['reading', 'reading', 'reading']);
    const [a, b, c] = outcomes.map((o) => (o.kind === 'reading' ? o.reading : undefined));
    expect(a).toEqual({ kind: 'cgm-glucose', values: { 'cgm-glucose': 120 }, effective: '2025-11-23T15:00:00.000Z', trend: 'Flat' });
    expect(b?.identifier).toBe(aaps.identifier);
    expect(c).toMatchObject({ kind: 'glucose', values: { glucose: 142 } });
  });

  it('skips calibrations and sensor state codes, and says why an entry is unusable', () => {
    expect(entryToReading(ZNightscoutEntry.parse({ type: 'cal', date: 1, slope: 1000 })).kind).toBe('skipped');
    expect(entryToReading(ZNightscoutEntry.parse({ type: 'sgv', sgv: 5, date: 1763910000000 })).kind).toBe('skipped');
    expect(entryToReading(ZNightscoutEntry.parse({ type: 'sgv', sgv: 120 }))).toMatchObject({ kind: 'invalid' });
    expect(entryToReading(ZNightscoutEntry.parse({ type: 'sgv', date: 1763910000000 }))).toMatchObject({ kind: 'invalid' });
  });

  it('round-trips a stored CGM Observation back to the entry followers read', () => {
    const r = entryToReading(ZNightscoutEntry.parse(aaps));
    if (r.kind !== 'reading') throw new Error('expected a reading');
    const o = { id: 'obs-1', ...toObservation(r.reading, ctx) };
    expect(observationToEntry(o, 'AndroidAPS-DexcomG6')).toEqual({
      _id: aaps.identifier, date: aaps.date, dateString: aaps.dateString, device: 'AndroidAPS-DexcomG6', type: 'sgv', sgv: 65, direction: 'FortyFiveDown',
    });
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      const parsed = ZNightscoutEntries.safeParse(j);
      if (parsed.success) for (const e of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) entryToReading(e);
    }));
  });
});
