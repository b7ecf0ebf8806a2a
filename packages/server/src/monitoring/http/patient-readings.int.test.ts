import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';
import type { TBillingReport } from '../billing/billing-report.types.js';
import type { TSeries } from '../readings/patient-readings.types.js';

const iso = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe('patient-entered readings and chart series', () => {
  let w: AccessWorld;
  const bp = (systolic: number, minutesAgo: number): unknown => ({ reading: { type: 'blood-pressure', systolic, diastolic: 95, takenAt: iso(minutesAgo) } });

  beforeAll(async () => {
    w = await AccessWorld.create();
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension', consentDate: '2026-10-01' })).statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => w.close());

  it('a patient adds a reading by hand: tagged patient-entered, no device, and the rules still judge it', async () => {
    const r = await w.call('patient', 'POST', '/api/monitoring/my-readings', bp(186, 10));
    expect(r.statusCode, r.body).toBe(201);
    const obs = await w.stored('Observation', r.json<{ observation: string }>().observation.slice('Observation/'.length));
    expect((obs?.meta as { tag: unknown[] }).tag).toContainEqual({ system: 'urn:careline:reading-origin', code: 'patient-entered' });
    expect(obs?.device).toBeUndefined();
    expect(obs?.performer).toEqual([{ reference: 'Patient/pa' }]);
    const alerts = (await w.call('clinician', 'GET', '/api/monitoring/alerts')).json<{ alerts: { condition: string }[] }>().alerts;
    expect(alerts.map((a) => a.condition)).toContain('hypertension:systolic-high');
  });

  it('never counts as a device day', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const report = (await w.call('clinician', 'GET', `/api/monitoring/billing?month=${month}`)).json<TBillingReport>();
    for (const row of report.rows.filter((x) => x.patient === 'Patient/pa')) expect(row.deviceDays).toBe(0);
  });

  it('refuses another patient, a caregiver without a read-write grant, and bad values', async () => {
    expect((await w.call('patientB', 'POST', '/api/monitoring/my-readings', { ...(bp(150, 5) as object), patient: 'Patient/pa' })).statusCode).toBe(404);
    expect([403, 404]).toContain((await w.call('caregiver', 'POST', '/api/monitoring/my-readings', { ...(bp(150, 5) as object), patient: 'Patient/pa' })).statusCode);
    expect((await w.call('patient', 'POST', '/api/monitoring/my-readings', bp(400, 5))).statusCode).toBe(400);
    expect((await w.call('patient', 'POST', '/api/monitoring/my-readings', { reading: { type: 'weight', value: 80, unit: 'stone', takenAt: iso(1) } })).statusCode).toBe(400);
  });

  it('the patient sees their own series; the care team sees it with the rule thresholds', async () => {
    const mine = await w.call('patient', 'GET', '/api/monitoring/my-readings?measure=systolic&days=7');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<TSeries>().points).toEqual([expect.objectContaining({ value: 186, origin: 'patient-entered' })]);
    const team = await w.call('nurse', 'GET', '/api/monitoring/patients/pa/series?measure=systolic&days=30');
    expect(team.statusCode, team.body).toBe(200);
    expect(team.json<TSeries>().thresholds).toEqual(expect.arrayContaining([{ rule: 'systolic-high', comparator: '>=', value: 180, severity: 'high' }]));
    expect((await w.call('patient', 'GET', '/api/monitoring/my-readings?measure=systolic&days=8')).statusCode).toBe(400);
    for (const who of ['clinician-org2', 'patient', 'front-desk'] as const) expect((await w.call(who, 'GET', '/api/monitoring/patients/pa/series?measure=systolic')).statusCode, who).toBe(404);
  });

  it('CGM summary and AGP for the care team', async () => {
    const r = await w.call('clinician', 'GET', '/api/monitoring/patients/pa/cgm?days=14');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ summary: { readings: number }; agp: unknown[]; timeZone: string }>()).toMatchObject({ summary: { readings: 0 }, timeZone: 'America/Denver' });
    expect((await w.call('clinician-org2', 'GET', '/api/monitoring/patients/pa/cgm')).statusCode).toBe(404);
  });
});
