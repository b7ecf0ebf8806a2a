import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinDate } from '../../test-support/pinned-date.js';
import { AccessWorld, tagged } from '../../test-support/access-world.js';
import type { TBillingReport, TBillingRow } from '../billing/billing-report.types.js';

/** Local 08:00 in Denver (15:00Z in November) on each of n days from start. */
const days = (start: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => {
    const d = new Date(`${start}T15:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return d.toISOString();
  });

/**
 * The monthly RPM billing report through HTTP: device days per 30-day period (device readings
 * only, clinic time zone), minutes in the calendar month, consent, setup once per episode, CSV and
 * PDF, and who may see it. "Today" is the machine's date (late November 2026 when written), so the
 * readings are in October and November 2026.
 */
describe('RPM billing report', () => {
  // The fixtures are dates in October and November 2026.
  pinDate('2026-11-23T12:00:00Z');
  let w: AccessWorld;
  let token = '';
  const post = async (takenAt: readonly string[], prefix: string): Promise<void> => {
    const readings = takenAt.map((t, i) => ({ id: `${prefix}-${String(i)}`, type: 'weight', value: 80, unit: 'kg', takenAt: t }));
    const r = await w.t.app.inject({ method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ readings }) });
    expect(r.statusCode, r.body).toBe(201);
  };
  const time = async (seconds: number, interactive = true, start = '2026-11-10T17:00:00Z'): Promise<void> => {
    const r = await w.call('clinician', 'POST', '/api/monitoring/time-entries', { patient: 'Patient/pa', start, seconds, interactive });
    expect(r.statusCode, r.body).toBe(201);
  };
  const report = async (month = '2026-11', who: 'admin' | 'clinician' = 'clinician'): Promise<TBillingReport> => {
    const r = await w.call(who, 'GET', `/api/monitoring/billing?month=${month}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<TBillingReport>();
  };
  const row = (r: TBillingReport, patient = 'Patient/pa'): TBillingRow => {
    const found = r.rows.find((x) => x.patient === patient);
    if (!found) throw new Error(`no row for ${patient}`);
    return found;
  };
  const codes = (x: TBillingRow): string[] => x.codes.map((c) => (c.units > 1 ? `${c.code}x${String(c.units)}` : c.code));

  beforeAll(async () => {
    w = await AccessWorld.create();
    // Episode from 1 October: periods 1–30 October (reported in October), 31 October – 29 November (in November).
    const e = await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'heart-failure', consentDate: '2026-10-01', setupDate: '2026-10-01' });
    expect(e.statusCode, e.body).toBe(201);
    token = (await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'scale' })).json<{ token: string }>().token;
    // Patient pb joins dr-1's care team and is enrolled without consent.
    await w.put(tagged('org-1', { resourceType: 'CareTeam', id: 'ct-pb', status: 'active', subject: { reference: 'Patient/pb' }, participant: [{ member: { reference: 'Practitioner/dr-1' } }] }));
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pb', program: 'hypertension', setupDate: '2026-10-01' })).statusCode).toBe(201);
    await post(['2026-10-20T15:00:00Z', '2026-10-21T15:00:00Z'], 'oct');
  }, 120_000);
  afterAll(async () => w.close());

  it('15 device days → 99445; the 16th → 99454 (never both)', async () => {
    await post(days('2026-10-31', 15), 'nov');
    const before = row(await report());
    expect(before).toMatchObject({ periodStart: '2026-10-31', periodEnd: '2026-11-29', deviceDays: 15, billingPractitioner: 'Practitioner/dr-1' });
    expect(codes(before)).toContain('99445');
    await post(days('2026-11-14', 2), 'nov-b'); // the 14th again (same day) and the 15th
    const after = row(await report());
    expect(after.deviceDays).toBe(16);
    expect(codes(after)).toContain('99454');
    expect(codes(after)).not.toContain('99445');
  });

  it('the period boundary is a local day of the clinic: 23:30 on 30 October in Denver is October\'s', async () => {
    await post(['2026-10-31T05:30:00Z'], 'edge'); // 30 October 23:30 MDT
    expect(row(await report('2026-10')).deviceDays).toBe(3);
    expect(row(await report()).deviceDays).toBe(16);
    expect((await w.call('admin', 'PUT', '/api/monitoring/settings', { timeZone: 'UTC' })).statusCode).toBe(200);
    expect(row(await report()).deviceDays).toBe(16); // 31 October had a reading already
    expect(row(await report('2026-10')).deviceDays).toBe(2);
    expect((await w.call('admin', 'PUT', '/api/monitoring/settings', { timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await w.call('clinician', 'PUT', '/api/monitoring/settings', { timeZone: 'UTC' })).statusCode).toBe(404);
    expect((await w.call('admin', 'PUT', '/api/monitoring/settings', { timeZone: 'America/Denver' })).statusCode).toBe(200);
  });

  it('19:59 of management time → 99470; 20:00 → 99457; needs an interactive contact', async () => {
    await time(1199, false);
    let r = row(await report());
    expect(r.managementTime).toBe('19:59');
    expect(codes(r).filter((c) => c.startsWith('994') && c !== '99445' && c !== '99454' && c !== '99453')).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/interactive/);
    await time(1, true);
    r = row(await report());
    expect(r).toMatchObject({ managementTime: '20:00', interactiveContact: true });
    expect(codes(r)).toEqual(['99453', '99454', '99457']);
  });

  it('no consent: nothing billable, and the report says why', async () => {
    const pb = row(await report(), 'Patient/pb');
    expect(pb.codes).toEqual([]);
    expect(pb.notes[0]).toMatch(/consent/);
    const r = await report();
    expect(r.totals).toMatchObject({ patients: 2, billablePatients: 1, codes: { '99453': 1, '99454': 1, '99457': 1 } });
    expect(r.clinicName).toBe('Clinic One');
  });

  it('CSV with a header, and a PDF with the clinic name', async () => {
    const csv = await w.call('admin', 'GET', '/api/monitoring/billing?month=2026-11&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^clinic,month,patient,name,program,period_start,period_end,device_days,management_minutes/);
    expect(lines.find((l) => l.includes('Patient/pa'))).toContain('99453;99454;99457');
    const pdf = await w.call('admin', 'GET', '/api/monitoring/billing?month=2026-11&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain('Clinic One');
  });

  it('closing a month bills setup once per episode', async () => {
    expect(codes(row(await report('2026-10')))).toEqual(['99445', '99453']);
    expect((await w.call('clinician', 'POST', '/api/monitoring/billing/close?month=2026-10')).statusCode).toBe(404);
    const closed = await w.call('admin', 'POST', '/api/monitoring/billing/close?month=2026-10');
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<TBillingReport>().closed).not.toBeNull();
    expect((await w.call('admin', 'POST', '/api/monitoring/billing/close?month=2026-10')).statusCode).toBe(409);
    expect((await w.call('admin', 'POST', '/api/monitoring/billing/close?month=2026-11')).statusCode).toBe(409);
    expect(codes(row(await report()))).toEqual(['99454', '99457']);
  });

  it('only admins and clinicians of the clinic: another clinic sees none of it, patients nothing', async () => {
    expect((await report('2026-11', 'admin')).rows.length).toBe(2);
    const other = await w.call('clinician-org2', 'GET', '/api/monitoring/billing?month=2026-11');
    expect(other.statusCode).toBe(200);
    expect(other.json<TBillingReport>().rows).toEqual([]);
    expect((await w.call('clinician-org2', 'GET', '/api/monitoring/billing?month=2026-11&organization=org-1')).statusCode).toBe(404);
    for (const who of ['patient', 'nurse', 'caregiver'] as const) expect((await w.call(who, 'GET', '/api/monitoring/billing?month=2026-11')).statusCode, who).toBe(404);
    expect((await w.call(undefined, 'GET', '/api/monitoring/billing?month=2026-11')).statusCode).toBe(401);
  });
});
