import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`nothing after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('FHIR Subscriptions', () => {
  let t: TestApp;
  let receiver: Server;
  let endpoint = '';
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    t = await createTestApp({ CARELINE_JOBS: 'true', CARELINE_SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1' }, { fhirAccess: () => openAccess, jobPollingSeconds: 0.5 });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => receiver.close(r));
  });

  const post = (url: string, body: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/fhir+json' }, payload: JSON.stringify(body) });

  it('activates a rest-hook subscription and delivers matching resources with their payload and headers', async () => {
    const sub = await post('/fhir/R4/Subscription', {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'BP readings for the care team',
      criteria: 'Observation?code=http://loinc.org|85354-9',
      channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json', header: ['Authorization: Bearer hook-secret'] },
    });
    expect(sub.statusCode).toBe(201);
    expect(sub.json()).toMatchObject({ status: 'active' });
    const p = (await post('/fhir/R4/Patient', patient())).json<{ id: string }>();
    const nonMatching = { ...bloodPressure(p.id, '2026-02-01T08:00:00Z'), code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } };
    delete (nonMatching as { component?: unknown }).component;
    expect((await post('/fhir/R4/Observation', { ...nonMatching, valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } })).statusCode).toBe(201);
    const obs = (await post('/fhir/R4/Observation', bloodPressure(p.id, '2026-02-01T09:00:00Z'))).json<{ id: string }>();
    const got = await until(() => received.find((r) => r.body.includes(obs.id)), 15_000);
    expect(got.headers.authorization).toBe('Bearer hook-secret');
    expect(got.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.parse(got.body)).toMatchObject({ resourceType: 'Observation', id: obs.id });
    await new Promise((r) => setTimeout(r, 1500));
    expect(received.filter((r) => r.body.includes('8867-4'))).toHaveLength(0);
  });

  it('refuses unsupported channels and unusable criteria with 422', async () => {
    const email = await post('/fhir/R4/Subscription', { resourceType: 'Subscription', status: 'requested', reason: 'x', criteria: 'Observation?code=1', channel: { type: 'email', endpoint: 'mailto:a@b.c' } });
    expect(email.statusCode).toBe(422);
    const badCriteria = await post('/fhir/R4/Subscription', { resourceType: 'Subscription', status: 'requested', reason: 'x', criteria: 'Observation?shoe=9', channel: { type: 'rest-hook', endpoint } });
    expect(badCriteria.statusCode).toBe(422);
    expect(badCriteria.json<{ issue: { expression: string[] }[] }>().issue[0]?.expression).toEqual(['Subscription.criteria']);
  });

  it('publishes websocket-channel notifications on the realtime bus', async () => {
    const sub = (await post('/fhir/R4/Subscription', { resourceType: 'Subscription', status: 'requested', reason: 'live chart', criteria: 'Patient?family=websocketson', channel: { type: 'websocket' } })).json<{ id: string }>();
    const seen: unknown[] = [];
    const off = t.app.platform.bus.subscribe(`fhir.subscription.${sub.id}`, (payload) => seen.push(payload));
    const p = (await post('/fhir/R4/Patient', patient('Websocketson', 'Wanda'))).json<{ id: string }>();
    const note = await until(() => seen[0], 5000);
    off();
    expect(note).toMatchObject({ subscription: sub.id, resourceType: 'Patient', id: p.id, versionId: 1 });
  });
});
