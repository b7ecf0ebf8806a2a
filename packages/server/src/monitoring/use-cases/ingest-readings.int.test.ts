import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { openAccess } from '../../fhir/test-support/fhir-fixtures.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { DeviceReading } from '../ingest/device-reading.js';
import { ReadingRepository } from '../storage/reading-repository.js';
import { ingestReadings, type IngestRequest } from './ingest-readings.js';

const NOW = new Date('2026-11-23T15:00:00Z');
const bp = (systolic: number, at: string, identifier?: string): DeviceReading => ({
  kind: 'blood-pressure', values: { systolic, diastolic: 80 }, effective: at, ...(identifier ? { identifier } : {}),
});

describe('ingestReadings', () => {
  let t: TestApp;
  const request = (readings: DeviceReading[], device = 'Device/cuff-1'): IngestRequest => ({
    ctx: openAccess, patient: 'Patient/p1', device, origin: 'device', readings, pathOf: (i) => `readings[${String(i)}]`, now: NOW,
  });
  const count = async (): Promise<{ obs: number; rows: number }> => {
    const o = await t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = 'Observation'");
    const r = await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_reading');
    return { obs: o.rows[0]?.n ?? -1, rows: r.rows[0]?.n ?? -1 };
  };

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
  });
  afterAll(async () => t.close());

  it('stores each reading once: within a batch, on retry, and for the same instant written with another offset', async () => {
    const first = await ingestReadings(t.app.fhir, t.tdb.db, request([bp(130, '2026-11-23T08:00:00-07:00'), bp(131, '2026-11-23T08:05:00-07:00', 'seq-2'), bp(130, '2026-11-23T08:00:00-07:00')]));
    expect(first.map((r) => r.created)).toEqual([true, true, false]);
    expect(first[2]?.observationId).toBe(first[0]?.observationId);
    expect(await count()).toEqual({ obs: 2, rows: 4 });

    const retry = await ingestReadings(t.app.fhir, t.tdb.db, request([bp(130, '2026-11-23T15:00:00Z'), bp(131, '2026-11-23T07:00:00-07:00', 'seq-2')]));
    expect(retry.map((r) => r.created)).toEqual([false, false]);
    expect(retry.map((r) => r.observationId)).toEqual([first[0]?.observationId, first[1]?.observationId]);
    expect(await count()).toEqual({ obs: 2, rows: 4 });

    // Another device's identical reading is another reading.
    const other = await ingestReadings(t.app.fhir, t.tdb.db, request([bp(130, '2026-11-23T15:00:00Z')], 'Device/cuff-2'));
    expect(other[0]?.created).toBe(true);
  });

  it('stores nothing of a batch with one implausible or future reading, and names it', async () => {
    const before = await count();
    const attempt = ingestReadings(t.app.fhir, t.tdb.db, request([bp(120, '2026-11-23T10:00:00Z'), bp(400, '2026-11-23T10:05:00Z'), bp(120, '2026-11-24T10:00:00Z')]));
    await expect(attempt).rejects.toBeInstanceOf(CarelineError);
    await attempt.catch((err: unknown) => {
      const issues = (err as CarelineError).toOperationOutcome() as { issue: { expression?: string[] }[] };
      expect(issues.issue.map((i) => i.expression?.[0])).toEqual(['readings[1].systolic', 'readings[2].effective']);
    });
    expect(await count()).toEqual(before);
  });

  it('stores one copy when the same reading races in from concurrent retries', async () => {
    const before = await count();
    const r = bp(142, '2026-11-23T12:00:00Z', 'race-1');
    const results = await Promise.all(Array.from({ length: 8 }, () => ingestReadings(t.app.fhir, t.tdb.db, request([r]))));
    expect(results.filter((x) => x[0]?.created)).toHaveLength(1);
    expect(new Set(results.map((x) => x[0]?.observationId)).size).toBe(1);
    expect((await count()).obs).toBe(before.obs + 1);
  });

  it('keeps the series rules read, and the Observation is searchable FHIR', async () => {
    const series = await new ReadingRepository(t.tdb.db).series('Patient/p1', ['8480-6'], new Date('2026-11-23T00:00:00Z'));
    expect(series.find((v) => v.value === 142)).toMatchObject({ measure: '8480-6', origin: 'device' });
    const times = series.map((v) => v.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const found = await t.app.inject({ method: 'GET', url: '/fhir/R4/Observation?subject=Patient/p1&code=http://loinc.org|85354-9&_sort=-date' });
    expect(found.statusCode, found.body).toBe(200);
    const bundle = found.json<{ entry: { resource: { device: { reference: string }; identifier: { value: string }[] } }[] }>();
    expect(bundle.entry.length).toBeGreaterThanOrEqual(3);
    expect(bundle.entry.map((e) => e.resource.identifier[0]?.value)).toContain('Device/cuff-1|id|race-1');
    expect(bundle.entry[0]?.resource.device.reference).toMatch(/^Device\/cuff-/);
  });
});
