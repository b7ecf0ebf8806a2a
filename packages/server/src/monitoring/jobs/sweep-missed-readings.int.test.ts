import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';
import { AlertEngine } from '../alerts/alert-engine.js';
import { sweepMissedReadings } from './sweep-missed-readings.js';

describe('missed-readings sweep', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension', consentDate: '2026-10-01' })).statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => w.close());

  it('alerts after the rule\'s days without readings, once per condition', async () => {
    const alerts = async (): Promise<{ condition: string; occurrences: number }[]> => (await w.call('clinician', 'GET', '/api/monitoring/alerts')).json<{ alerts: { condition: string; occurrences: number }[] }>().alerts;
    const engine = new AlertEngine(w.t.app.fhir, w.t.tdb.db, w.t.app.platform.bus, () => Promise.resolve(['Practitioner/dr-1']));
    expect(await sweepMissedReadings(w.t.tdb.db, engine, new Date(Date.now() + 2 * 86_400_000))).toBe(0);
    expect(await alerts()).toEqual([]);
    expect(await sweepMissedReadings(w.t.tdb.db, engine, new Date(Date.now() + 3 * 86_400_000 + 60_000))).toBe(1);
    await sweepMissedReadings(w.t.tdb.db, engine, new Date(Date.now() + 3 * 86_400_000 + 120_000));
    expect(await alerts()).toEqual([expect.objectContaining({ condition: 'hypertension:missed', occurrences: 2 })]);
  });
});
