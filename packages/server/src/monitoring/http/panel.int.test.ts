import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld, tagged } from '../../test-support/access-world.js';

interface Panel {
  patients: { patient: string; openAlerts: { high: number; medium: number }; latest: { measure: string; value: number; outOfRange: boolean }[]; deviceDays30: number }[];
}

const iso = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();

/** The monitoring panel: the care team's enrolled patients, most urgent first; nobody else's. */
describe('monitoring panel', () => {
  let w: AccessWorld;
  const webhook = async (token: string, systolic: number, minutesAgo: number): Promise<LightMyRequestResponse> =>
    w.t.app.inject({
      method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ readings: [{ type: 'blood-pressure', systolic, diastolic: 80, takenAt: iso(minutesAgo) }] }),
    });

  beforeAll(async () => {
    w = await AccessWorld.create();
    // Put Patient/pb on dr-1's care team too (the world gives dr-1 only pa).
    await w.put(tagged('org-1', { resourceType: 'CareTeam', id: 'ct-pb', status: 'active', subject: { reference: 'Patient/pb' }, participant: [{ member: { reference: 'Practitioner/dr-1' } }] }));
    for (const patient of ['Patient/pa', 'Patient/pb']) {
      const e = await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient, program: 'hypertension' });
      expect(e.statusCode, e.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => w.close());

  it('sorts by urgency: an open high alert first, and shows the latest value against the limits', async () => {
    const tokens: Record<string, string> = {};
    for (const p of ['pa', 'pb']) tokens[p] = (await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: `Patient/${p}`, kind: 'bp-cuff' })).json<{ token: string }>().token;
    // pa measures daily, in range; pb sends one reading over the limit.
    for (let d = 0; d < 3; d++) expect((await webhook(tokens.pa ?? '', 128, 60 * 24 * d + 5)).statusCode).toBe(201);
    expect((await webhook(tokens.pb ?? '', 184, 3)).statusCode).toBe(201);

    const r = await w.call('clinician', 'GET', '/api/monitoring/panel');
    expect(r.statusCode, r.body).toBe(200);
    const panel = r.json<Panel>().patients;
    expect(panel.map((p) => p.patient)).toEqual(['Patient/pb', 'Patient/pa']);
    expect(panel[0]?.openAlerts.high).toBe(1);
    expect(panel[0]?.latest.find((v) => v.measure === '8480-6')).toMatchObject({ value: 184, outOfRange: true });
    expect(panel[1]?.latest.find((v) => v.measure === '8480-6')).toMatchObject({ value: 128, outOfRange: false });
    expect(panel[1]?.deviceDays30).toBe(3);
  });

  it('shows nothing to another clinic or to a patient, and asks anonymous callers to sign in', async () => {
    expect((await w.call('clinician-org2', 'GET', '/api/monitoring/panel')).json<Panel>().patients).toEqual([]);
    expect((await w.call('patient', 'GET', '/api/monitoring/panel')).json<Panel>().patients).toEqual([]);
    expect((await w.call(undefined, 'GET', '/api/monitoring/panel')).statusCode).toBe(401);
  });
});
