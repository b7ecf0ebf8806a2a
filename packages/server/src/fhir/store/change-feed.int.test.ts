import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { FHIR_CHANGE_TOPIC, type FhirChange } from '../index.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';

const FHIR = 'application/fhir+json';
/** Longest wait for an event; the bus delivers in milliseconds, so this only bounds a failure. */
const EVENT_TIMEOUT_MS = 5_000;
/** How long "nothing arrives" is watched after a later event has already arrived. */
const QUIET_MS = 300;

/**
 * The change feed (`fhir.change` on the realtime bus): one event per committed write, carrying
 * what subscribers need to route it (type, id, version, method, patient compartments) and no
 * clinical content. Nothing is published for a write that did not commit.
 */
describe('FHIR change feed', () => {
  let t: TestApp;
  const events: FhirChange[] = [];
  let unsubscribe: () => void = () => undefined;

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
    unsubscribe = t.app.platform.bus.subscribe(FHIR_CHANGE_TOPIC, (payload) => events.push(payload as FhirChange));
  });
  afterAll(async () => {
    unsubscribe();
    await t.close();
  });

  const send = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await t.app.inject({
      method,
      url,
      headers: body === undefined ? headers : { 'content-type': method === 'PATCH' ? 'application/json-patch+json' : FHIR, ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: r.statusCode, body: r.body.length > 0 ? r.json<Record<string, unknown>>() : {} };
  };

  /** Waits (bounded) until an event matching `match` has arrived; returns it. */
  async function eventFor(match: (e: FhirChange) => boolean): Promise<FhirChange> {
    const deadline = Date.now() + EVENT_TIMEOUT_MS;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching fhir.change event within ${EVENT_TIMEOUT_MS} ms; received ${JSON.stringify(events)}`);
      await sleep(10);
    }
  }
  const isVersion = (resourceType: string, id: string, versionId: number) => (e: FhirChange) => e.resourceType === resourceType && e.id === id && e.versionId === versionId;

  /** The event is published after commit: the version it names is already readable by anyone. */
  async function expectCommitted(e: FhirChange): Promise<void> {
    const v = await t.app.fhir.vread(openAccess, e.resourceType, e.id, String(e.versionId)).catch((err: unknown) => err);
    if (e.method === 'DELETE') expect((v as { status?: number }).status).toBe(410);
    else expect(v).toMatchObject({ versionId: e.versionId });
  }

  it('publishes create, update, patch and delete with versions, methods and compartments', async () => {
    const p = await send('POST', '/fhir/R4/Patient', patient('Feed', 'Fay'));
    const pid = String(p.body.id);
    const created = await eventFor(isVersion('Patient', pid, 1));
    expect(created).toEqual({ resourceType: 'Patient', id: pid, versionId: 1, method: 'POST', compartments: [`Patient/${pid}`] });
    await expectCommitted(created);

    const o = await send('POST', '/fhir/R4/Observation', bloodPressure(pid, '2026-06-01T08:00:00Z'));
    const oid = String(o.body.id);
    expect(await eventFor(isVersion('Observation', oid, 1))).toEqual({ resourceType: 'Observation', id: oid, versionId: 1, method: 'POST', compartments: [`Patient/${pid}`] });

    expect((await send('PUT', `/fhir/R4/Patient/${pid}`, { ...p.body, active: true }, { 'if-match': 'W/"1"' })).status).toBe(200);
    const put = await eventFor(isVersion('Patient', pid, 2));
    expect(put).toEqual({ resourceType: 'Patient', id: pid, versionId: 2, method: 'PUT', compartments: [`Patient/${pid}`] });
    await expectCommitted(put);

    expect((await send('PATCH', `/fhir/R4/Patient/${pid}`, [{ op: 'replace', path: '/gender', value: 'female' }])).status).toBe(200);
    const patched = await eventFor(isVersion('Patient', pid, 3));
    expect(patched).toMatchObject({ method: 'PATCH', compartments: [`Patient/${pid}`] });
    await expectCommitted(patched);

    // Moving an Observation to another patient: the event names the compartment it is in now.
    const other = String((await send('POST', '/fhir/R4/Patient', patient('Feed', 'Other'))).body.id);
    expect((await send('PUT', `/fhir/R4/Observation/${oid}`, { ...o.body, subject: { reference: `Patient/${other}` } })).status).toBe(200);
    expect(await eventFor(isVersion('Observation', oid, 2))).toMatchObject({ method: 'PUT', compartments: [`Patient/${other}`] });

    expect((await send('DELETE', `/fhir/R4/Observation/${oid}`)).status).toBe(204);
    const deleted = await eventFor(isVersion('Observation', oid, 3));
    expect(deleted).toEqual({ resourceType: 'Observation', id: oid, versionId: 3, method: 'DELETE', compartments: [`Patient/${other}`] });
    await expectCommitted(deleted);
  });

  it('publishes conditional update and conditional delete like their plain forms', async () => {
    const mrn = `feed-${randomUUID()}`;
    const criteria = `identifier=${encodeURIComponent(`urn:careline:mrn|${mrn}`)}`;
    const body = { ...patient('Feed', 'Cu'), identifier: [{ system: 'urn:careline:mrn', value: mrn }] };
    const created = await send('PUT', `/fhir/R4/Patient?${criteria}`, body);
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect(await eventFor(isVersion('Patient', id, 1))).toMatchObject({ method: 'PUT', compartments: [`Patient/${id}`] });
    expect((await send('PUT', `/fhir/R4/Patient?${criteria}`, { ...body, active: true })).status).toBe(200);
    expect(await eventFor(isVersion('Patient', id, 2))).toMatchObject({ method: 'PUT' });
    expect((await send('DELETE', `/fhir/R4/Patient?${criteria}`)).status).toBe(204);
    expect(await eventFor(isVersion('Patient', id, 3))).toEqual({ resourceType: 'Patient', id, versionId: 3, method: 'DELETE', compartments: [`Patient/${id}`] });
  });

  it('publishes every entry of a committed transaction, with the ids it assigned', async () => {
    const existing = await send('POST', '/fhir/R4/Patient', patient('Feed', 'Existing'));
    const existingId = String(existing.body.id);
    await eventFor(isVersion('Patient', existingId, 1));
    const urn = `urn:uuid:${randomUUID()}`;
    const r = await send('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: urn, resource: patient('Feed', 'Txn'), request: { method: 'POST', url: 'Patient' } },
        { resource: { ...bloodPressure('x', '2026-06-02T08:00:00Z'), subject: { reference: urn } }, request: { method: 'POST', url: 'Observation' } },
        { resource: { ...existing.body, active: false }, request: { method: 'PUT', url: `Patient/${existingId}` } },
      ],
    });
    expect(r.status).toBe(200);
    const entries = r.body.entry as { resource: { resourceType: string; id: string } }[];
    const [newPatient, obs] = entries.map((e) => e.resource);
    const pid = newPatient?.id ?? '';
    expect(await eventFor(isVersion('Patient', pid, 1))).toEqual({ resourceType: 'Patient', id: pid, versionId: 1, method: 'POST', compartments: [`Patient/${pid}`] });
    const obsEvent = await eventFor(isVersion('Observation', obs?.id ?? '', 1));
    expect(obsEvent).toEqual({ resourceType: 'Observation', id: obs?.id, versionId: 1, method: 'POST', compartments: [`Patient/${pid}`] });
    await expectCommitted(obsEvent);
    expect(await eventFor(isVersion('Patient', existingId, 2))).toMatchObject({ method: 'PUT', compartments: [`Patient/${existingId}`] });
  });

  it('publishes nothing for a failed transaction, a refused write, a matched conditional create or a no-op delete', async () => {
    const before = events.length;
    const mrn = `feed-${randomUUID()}`;
    const conditional = { ...patient('Feed', 'Cond'), identifier: [{ system: 'urn:careline:mrn', value: mrn }] };
    const first = await send('POST', '/fhir/R4/Patient', conditional, { 'if-none-exist': `identifier=urn:careline:mrn|${mrn}` });
    expect(first.status).toBe(201);
    const condId = String(first.body.id);
    await eventFor(isVersion('Patient', condId, 1));
    const afterFirst = events.length;

    const failed = await send('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Device', deviceName: [{ name: 'never stored', type: 'user-friendly-name' }] }, request: { method: 'POST', url: 'Device' } },
        { resource: { ...conditional, id: condId, active: true }, request: { method: 'PUT', url: `Patient/${condId}` } },
        { resource: { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(failed.status).toBe(400);
    expect((await send('PUT', `/fhir/R4/Patient/${condId}`, { ...conditional, id: condId }, { 'if-match': 'W/"7"' })).status).toBe(412);
    expect((await send('POST', '/fhir/R4/Patient', conditional, { 'if-none-exist': `identifier=urn:careline:mrn|${mrn}` })).status).toBe(200);
    expect((await send('DELETE', `/fhir/R4/Patient/${randomUUID()}`)).status).toBe(204);

    // A sentinel write after all of them: once its event is in (and a quiet moment has passed),
    // anything the failures had published would have arrived too.
    const sentinel = String((await send('POST', '/fhir/R4/Basic', { resourceType: 'Basic', code: { text: 'sentinel' } })).body.id);
    await eventFor(isVersion('Basic', sentinel, 1));
    await sleep(QUIET_MS);
    expect(before).toBeLessThan(afterFirst);
    expect(events.slice(afterFirst)).toEqual([{ resourceType: 'Basic', id: sentinel, versionId: 1, method: 'POST', compartments: [] }]);
    expect((await t.app.fhir.read(openAccess, 'Patient', condId)).versionId).toBe(1);
  });

  it('publishes the entries of a batch that succeeded, not the one that failed', async () => {
    const start = events.length;
    const r = await send('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Basic', code: { text: 'batch ok' } }, request: { method: 'POST', url: 'Basic' } },
        { resource: { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    const statuses = (r.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
    expect(statuses).toEqual(['201', '400']);
    const okId = (r.body.entry as { resource?: { id: string } }[])[0]?.resource?.id ?? '';
    await eventFor(isVersion('Basic', okId, 1));
    await sleep(QUIET_MS);
    expect(events.slice(start)).toEqual([{ resourceType: 'Basic', id: okId, versionId: 1, method: 'POST', compartments: [] }]);
  });
});
