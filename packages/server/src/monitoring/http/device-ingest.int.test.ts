import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';

interface Enrolled {
  device: string;
  token: string;
  nightscout: { url: string; apiSecret: string };
}

const now = Date.now();
const iso = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();

/**
 * Device credentials through HTTP, as a cuff, a scale and a CGM uploader send them: enrolment by the
 * patient's clinician, the webhook, FHIR with a device token, the Nightscout v1 API, and revocation.
 */
describe('device ingest', () => {
  let w: AccessWorld;
  let cuff: Enrolled;
  let cgm: Enrolled;
  const device = (token: string, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    w.t.app.inject({
      method, url,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': url.startsWith('/fhir') ? 'application/fhir+json' : 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const ns = (secret: string | undefined, method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse> =>
    w.t.app.inject({
      method, url,
      headers: { ...(secret === undefined ? {} : { 'api-secret': createHash('sha1').update(secret).digest('hex') }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    w = await AccessWorld.create();
    const a = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff', manufacturer: 'Omron', serial: 'SN-1' });
    expect(a.statusCode, a.body).toBe(201);
    cuff = a.json<Enrolled>();
    const b = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'uploader-app' });
    expect(b.statusCode, b.body).toBe(201);
    cgm = b.json<Enrolled>();
  }, 120_000);
  afterAll(async () => w.close());

  it('is enrolled only by staff who may write the patient, and its secrets are shown once, stored hashed', async () => {
    expect(cuff.token).toMatch(/^cld_/);
    expect(cuff.device).toMatch(/^Device\//);
    expect((await w.call('clinician-org2', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'scale' })).statusCode).toBe(404);
    expect([403, 404]).toContain((await w.call('patient', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'scale' })).statusCode);
    expect((await w.call(undefined, 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'scale' })).statusCode).toBe(401);
    const stored = await w.t.tdb.db.query<{ token_hash: string }>('SELECT token_hash FROM monitoring_device_credential');
    for (const r of stored.rows) expect(r.token_hash).not.toContain(cuff.token);
  });

  it('webhook: stores readings once, refuses implausible ones, ignores nothing silently', async () => {
    const body = { readings: [{ id: 'r-1', type: 'blood-pressure', systolic: 152, diastolic: 91, pulse: 77, takenAt: iso(10) }, { id: 'r-2', type: 'weight', value: 180, unit: 'lb', takenAt: iso(9) }] };
    const first = await device(cuff.token, 'POST', '/api/monitoring/webhook', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<{ readings: { created: boolean }[] }>().readings.map((r) => r.created)).toEqual([true, true, true]);
    const replay = await device(cuff.token, 'POST', '/api/monitoring/webhook', body);
    expect(replay.json<{ readings: { created: boolean }[] }>().readings.map((r) => r.created)).toEqual([false, false, false]);
    const bad = await device(cuff.token, 'POST', '/api/monitoring/webhook', { readings: [{ type: 'blood-pressure', systolic: 400, diastolic: 90, takenAt: iso(1) }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('readings[0].systolic');
    // The readings are the patient's, visible to the care team with the device as their source.
    const seen = await w.call('clinician', 'GET', '/fhir/R4/Observation?subject=Patient/pa&code=http://loinc.org|85354-9');
    expect(seen.json<{ entry: { resource: { device: { reference: string } } }[] }>().entry.map((e) => e.resource.device.reference)).toContain(cuff.device);
  });

  it('FHIR with a device token: only Observations about its own patient, the device set by the server; reads nothing else', async () => {
    const obs = (subject: string): Record<string, unknown> => ({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: subject },
      effectiveDateTime: iso(3), valueQuantity: { value: 70, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' }, device: { reference: 'Device/someone-else' },
    });
    const ok = await device(cuff.token, 'POST', '/fhir/R4/Observation', obs('Patient/pa'));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ device: { reference: string } }>().device.reference).toBe(cuff.device);
    expect((await device(cuff.token, 'POST', '/fhir/R4/Observation', obs('Patient/pb'))).statusCode).toBe(403);
    expect((await device(cuff.token, 'GET', '/fhir/R4/Patient/pa')).statusCode).toBe(404);
    expect((await device(cuff.token, 'GET', '/fhir/R4/Observation?_summary=count')).json<{ total: number }>().total).toBe(0);
    expect((await device('cld_' + 'x'.repeat(43), 'GET', '/fhir/R4/Patient/pa')).statusCode).toBe(401);
  });

  it('Nightscout v1: uploaders authenticate with the API secret, post entries as xDrip+ does, and read them back', async () => {
    expect((await ns(undefined, 'GET', '/api/v1/status.json')).statusCode).toBe(401);
    expect((await ns('wrong secret', 'GET', '/api/v1/status.json')).statusCode).toBe(401);
    const status = await ns(cgm.nightscout.apiSecret, 'GET', '/api/v1/status.json');
    expect(status.statusCode).toBe(200);
    expect(status.json<{ status: string; apiEnabled: boolean }>()).toMatchObject({ status: 'ok', apiEnabled: true });

    const entries = [5, 10, 15].map((m, i) => ({ device: 'xDrip-DexcomG6', date: now - m * 60_000, dateString: iso(m), sgv: 110 + i, delta: 1.2, direction: 'Flat', type: 'sgv', filtered: 1, unfiltered: 1, rssi: 100, noise: 1 }));
    const posted = await ns(cgm.nightscout.apiSecret, 'POST', '/api/v1/entries', [...entries, { type: 'cal', date: now, slope: 1 }]);
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json<unknown[]>()).toHaveLength(3);
    const again = await ns(cgm.nightscout.apiSecret, 'POST', '/api/v1/entries.json', entries);
    expect(again.statusCode).toBe(200);
    const read = await ns(cgm.nightscout.apiSecret, 'GET', '/api/v1/entries.json?count=10');
    const got = read.json<{ sgv: number; date: number; type: string }[]>();
    expect(got.map((e) => e.sgv)).toEqual([110, 111, 112]);
    expect(got[0]?.type).toBe('sgv');
    // A token in the query works as well as the header (Nightscout's ?token=).
    expect((await w.t.app.inject({ method: 'GET', url: `/api/v1/entries/current.json?token=${cgm.token}` })).json<unknown[]>()).toHaveLength(1);
    const broken = await ns(cgm.nightscout.apiSecret, 'POST', '/api/v1/entries', [{ type: 'sgv', sgv: 120 }]);
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('entries[0]');
  });

  it('revocation ends the credential at once', async () => {
    const id = cuff.device.split('/')[1] ?? '';
    expect((await w.call('clinician-org2', 'POST', `/api/monitoring/devices/${id}/revoke`)).statusCode).toBe(404);
    expect((await w.call('clinician', 'POST', `/api/monitoring/devices/${id}/revoke`)).statusCode).toBe(204);
    expect((await device(cuff.token, 'POST', '/api/monitoring/webhook', { readings: [{ type: 'weight', value: 80, takenAt: iso(1) }] })).statusCode).toBe(401);
  });
});
