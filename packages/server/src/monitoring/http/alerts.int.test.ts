import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessWorld } from '../../test-support/access-world.js';

interface Alert {
  id: string;
  patient: string;
  condition: string;
  severity: string;
  status: string;
  occurrences: number;
  flag: string | null;
  task: string | null;
}

const iso = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();

/**
 * A reading crosses a threshold → one alert (Flag + Task) in the care team's queue and on their
 * WebSockets within a second; repeats attach to it; acknowledge, resolve; other clinics see nothing.
 */
describe('monitoring alerts', () => {
  let w: AccessWorld;
  let token = '';
  let url = '';
  const post = (body: unknown): Promise<LightMyRequestResponse> =>
    w.t.app.inject({ method: 'POST', url: '/api/monitoring/webhook', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const bp = (id: string, systolic: number, minutesAgo: number): unknown => ({ readings: [{ id, type: 'blood-pressure', systolic, diastolic: 95, takenAt: iso(minutesAgo) }] });
  const queue = async (who: 'clinician' | 'nurse' | 'clinician-org2' | 'patient'): Promise<LightMyRequestResponse> => w.call(who, 'GET', '/api/monitoring/alerts');

  beforeAll(async () => {
    w = await AccessWorld.create();
    const enrolled = await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension', consentDate: '2026-11-01' });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const device = await w.call('clinician', 'POST', '/api/monitoring/devices', { patient: 'Patient/pa', kind: 'bp-cuff' });
    token = device.json<{ token: string }>().token;
    url = await w.t.app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => w.close());

  it('enrolment is the care team\'s, once per program, and records a CarePlan with the rules', async () => {
    expect((await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'hypertension' })).statusCode).toBe(409);
    expect((await w.call('clinician-org2', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'heart-failure' })).statusCode).toBe(404);
    const bad = await w.call('clinician', 'POST', '/api/monitoring/enrollments', { patient: 'Patient/pa', program: 'heart-failure', rules: [{ id: 'x', kind: 'sustained', measure: '8480-6', comparator: '>=', value: 1, count: 9, of: 5 }] });
    expect(bad.statusCode).toBe(400);
    const plans = await w.call('clinician', 'GET', '/fhir/R4/CarePlan?subject=Patient/pa');
    expect(plans.json<{ entry: { resource: { extension: { url: string }[] } }[] }>().entry[0]?.resource.extension[0]?.url).toBe('urn:careline:extension:monitoring-rules');
  });

  it('a reading over the limit alerts the care team live, once per condition', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { 'x-test-user': 'clinician' } });
    const messages: { type: string; topic?: string; payload?: { severity: string; condition: string } }[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as (typeof messages)[number]));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'practitioner.dr-2.alerts' }));
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'practitioner.dr-1.alerts' }));
    const until = async (pred: () => boolean, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => messages.some((m) => m.type === 'subscribed'), 2000);
    // Another practitioner's topic is refused.
    expect(messages.find((m) => m.topic === 'practitioner.dr-2.alerts')?.type).toBe('error');

    const sent = Date.now();
    expect((await post(bp('a-1', 186, 5))).statusCode).toBe(201);
    await until(() => messages.some((m) => m.type === 'message'), 1000);
    const live = messages.find((m) => m.type === 'message');
    expect(live?.payload).toMatchObject({ severity: 'high', condition: 'hypertension:systolic-high' });
    expect(Date.now() - sent).toBeLessThan(1000);
    ws.close();

    expect((await post(bp('a-2', 190, 4))).statusCode).toBe(201);
    const answer = await queue('clinician');
    // Health data in an API answer is never cached (the platform's default when a route sets nothing).
    expect(answer.headers['cache-control']).toBe('no-store');
    const alerts = answer.json<{ alerts: Alert[] }>().alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ patient: 'Patient/pa', status: 'open', occurrences: 2, severity: 'high' });
    expect(alerts[0]?.flag).toMatch(/^Flag\//);
    expect(alerts[0]?.task).toMatch(/^Task\//);
    // The nurse on the care team sees it; another clinic and the patient do not.
    expect((await queue('nurse')).json<{ alerts: Alert[] }>().alerts).toHaveLength(1);
    expect((await queue('clinician-org2')).json<{ alerts: Alert[] }>().alerts).toHaveLength(0);
    expect((await queue('patient')).json<{ alerts: Alert[] }>().alerts).toHaveLength(0);
    // A replayed reading raises nothing new.
    await post(bp('a-2', 190, 4));
    expect((await queue('clinician')).json<{ alerts: Alert[] }>().alerts[0]?.occurrences).toBe(2);
  });

  it('acknowledge and resolve, audited; other clinics get 404; a later reading opens a new alert', async () => {
    const [alert] = (await queue('clinician')).json<{ alerts: Alert[] }>().alerts;
    if (!alert) throw new Error('no alert');
    expect((await w.call('clinician-org2', 'POST', `/api/monitoring/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(404);
    const ack = await w.call('nurse', 'POST', `/api/monitoring/alerts/${alert.id}/acknowledge`, { snoozeMinutes: 30 });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<Alert>().status).toBe('acknowledged');
    const done = await w.call('clinician', 'POST', `/api/monitoring/alerts/${alert.id}/resolve`, {});
    expect(done.json<Alert>().status).toBe('resolved');
    const flag = await w.call('clinician', 'GET', `/fhir/R4/${alert.flag ?? ''}`);
    expect(flag.json<{ status: string }>().status).toBe('inactive');
    const audited = await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE kind = 'update' AND $1 = ANY (patients)", ['Patient/pa']);
    expect(audited.rows[0]?.n).toBeGreaterThanOrEqual(2);
    expect((await queue('clinician')).json<{ alerts: Alert[] }>().alerts).toHaveLength(0);
    await post(bp('a-3', 182, 1));
    const again = (await queue('clinician')).json<{ alerts: Alert[] }>().alerts;
    // A new alert for the absolute limit, and now also "3 of the last 5 ≥ 160" (186, 190, 182).
    expect(again.map((a) => a.condition).sort()).toEqual(['hypertension:systolic-high', 'hypertension:systolic-sustained']);
    expect(again.find((a) => a.condition === 'hypertension:systolic-high')?.id).not.toBe(alert.id);
  });
});
