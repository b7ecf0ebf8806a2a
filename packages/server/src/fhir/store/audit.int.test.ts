import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { permissivePolicy, systemContext, type AccessContext, type AccessPolicy } from '../access/access-policy.js';
import { bloodPressure, patient } from '../test-support/fhir-fixtures.js';

interface Row {
  seq: number;
  action: string;
  kind: string;
  outcome: number;
  agent: string | null;
  patients: string[];
  organization: string | null;
  content: string;
}

const FHIR = 'application/fhir+json';
const who = { agent: 'User/clin-1', requestId: 'req-42', sourceIp: '10.0.0.7', organizationId: 'org-1' };
const open: AccessContext = { actor: 'User/clin-1', policy: permissivePolicy, audit: who };

/** Sees only what is in Patient/<allowed>'s compartment. */
function onlyPatient(allowed: string): AccessPolicy {
  const ok = (c: readonly string[]): boolean => c.includes(`Patient/${allowed}`);
  return {
    name: 'only-one',
    canRead: (f) => ok(f.compartments),
    canCreate: (f) => ok(f.compartments),
    canUpdate: (b, a) => ok(b.compartments) && ok(a.compartments),
    canDelete: (f) => ok(f.compartments),
    searchScope: () => ({ kind: 'compartments', compartments: [`Patient/${allowed}`] }),
  };
}

/**
 * The one door records every access to health data as a FHIR AuditEvent (issue #4, Audit): writes in
 * their own statement, reads before the answer, refusals as failures naming what was asked for.
 */
describe('FHIR store audit', () => {
  let t: TestApp;
  let ctx: AccessContext = open;
  let since = 0;

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => ctx });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    ctx = open;
    const { rows } = await t.app.platform.db.query<{ m: number }>('SELECT coalesce(max(seq), 0)::bigint AS m FROM audit_event');
    since = rows[0]?.m ?? 0;
  });

  const fresh = async (): Promise<Row[]> =>
    (await t.app.platform.db.query<Row>('SELECT seq, action, kind, outcome, agent, patients, organization, content FROM audit_event WHERE seq > $1 ORDER BY seq', [since])).rows;

  const send = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const r = await t.app.inject({
      method,
      url,
      headers: body === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/json-patch+json' : FHIR },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: r.statusCode, body: r.body.length > 0 ? r.json<Record<string, unknown>>() : {} };
  };

  const newPatient = async (): Promise<string> => String((await send('POST', '/fhir/R4/Patient', patient())).body.id);

  it('records a create in the same statement, with the BALP codes, agent, patient and resource', async () => {
    const id = await newPatient();
    const rows = await fresh();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'C', kind: 'create', outcome: 0, agent: 'User/clin-1', patients: [`Patient/${id}`], organization: 'org-1' });
    const event = JSON.parse(rows[0]?.content ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'create' }],
      action: 'C',
      outcome: '0',
      agent: [{ who: { reference: 'User/clin-1' }, requestor: true, network: { address: '10.0.0.7' } }],
      entity: [
        { what: { reference: `Patient/${id}` }, role: { code: '1' } },
        { what: { reference: `Patient/${id}` }, role: { code: '4' } },
        { what: { identifier: { value: 'req-42' } }, type: { code: 'XrequestId' } },
      ],
    });
    // No names or values: the patient's family name appears nowhere in the event.
    expect(rows[0]?.content).not.toContain('Núñez');
  });

  it('records read, vread, update, patch, search (with included patients), history, $everything and delete', async () => {
    const p = await newPatient();
    const obs = String((await send('POST', '/fhir/R4/Observation', bloodPressure(p, '2025-01-02T10:00:00Z'))).body.id);
    since = Math.max(...(await fresh()).map((r) => r.seq));
    expect((await send('GET', `/fhir/R4/Observation/${obs}`)).status).toBe(200);
    expect((await send('GET', `/fhir/R4/Observation/${obs}/_history/1`)).status).toBe(200);
    expect((await send('PUT', `/fhir/R4/Observation/${obs}`, { ...bloodPressure(p, '2025-01-02T10:00:00Z', 130), id: obs })).status).toBe(200);
    expect((await send('PATCH', `/fhir/R4/Observation/${obs}`, [{ op: 'replace', path: '/status', value: 'amended' }])).status).toBe(200);
    expect((await send('GET', `/fhir/R4/Observation?subject=Patient/${p}&_include=Observation:subject`)).status).toBe(200);
    expect((await send('GET', `/fhir/R4/Observation/${obs}/_history`)).status).toBe(200);
    expect((await send('GET', `/fhir/R4/Patient/${p}/$everything`)).status).toBe(200);
    expect((await send('DELETE', `/fhir/R4/Observation/${obs}`)).status).toBe(204);
    const rows = await fresh();
    expect(rows.map((r) => `${r.kind}:${r.action}:${r.outcome}`)).toEqual([
      'read:R:0',
      'vread:R:0',
      'update:U:0',
      'patch:U:0',
      'search-type:E:0',
      'history-instance:R:0',
      'everything:E:0',
      'delete:D:0',
    ]);
    for (const r of rows) expect(r.patients).toEqual([`Patient/${p}`]);
    const search = JSON.parse(rows[4]?.content ?? '{}') as { entity: { name?: string; role?: { code: string } }[] };
    expect(search.entity).toContainEqual(expect.objectContaining({ name: 'Observation', role: expect.objectContaining({ code: '24' }) as unknown }));
    expect(JSON.parse(rows[6]?.content ?? '{}')).toMatchObject({ type: { code: '110110' }, subtype: [{ code: 'operation' }] });
  });

  it('leaves no audit row when the write does not commit', async () => {
    const p = await newPatient();
    since = Math.max(...(await fresh()).map((r) => r.seq));
    const failing = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:4b0c1c5e-5f4e-4e43-9a55-4f0d1b7f0c11', resource: bloodPressure(p, '2025-02-01T10:00:00Z'), request: { method: 'POST', url: 'Observation' } },
        { resource: { resourceType: 'Patient', id: p }, request: { method: 'PUT', url: `Patient/${p}`, ifMatch: 'W/"99"' } },
      ],
    };
    expect((await send('POST', '/fhir/R4', failing)).status).toBe(412);
    expect(await fresh()).toEqual([]);
    // The same writes without the failing precondition commit with one event per entry, in the bundle's transaction.
    const ok = { ...failing, entry: failing.entry.map((e) => ({ ...e, request: { method: e.request.method, url: e.request.url } })) };
    expect((await send('POST', '/fhir/R4', ok)).status).toBe(200);
    expect((await fresh()).map((r) => r.kind).sort()).toEqual(['create', 'update']);
  });

  it('records a denied read, vread, search-visible nothing, write and delete as failures naming the request', async () => {
    const a = await newPatient();
    const b = await newPatient();
    const obsB = String((await send('POST', '/fhir/R4/Observation', bloodPressure(b, '2025-03-01T10:00:00Z'))).body.id);
    since = Math.max(...(await fresh()).map((r) => r.seq));
    ctx = { actor: `User/pat-${a}`, policy: onlyPatient(a), audit: { agent: `User/pat-${a}` } };
    expect((await send('GET', `/fhir/R4/Observation/${obsB}`)).status).toBe(404);
    expect((await send('GET', `/fhir/R4/Observation/${obsB}/_history/1`)).status).toBe(404);
    expect((await send('GET', '/fhir/R4/Observation/does-not-exist')).status).toBe(404);
    expect((await send('PUT', `/fhir/R4/Observation/${obsB}`, { ...bloodPressure(b, '2025-03-01T10:00:00Z'), id: obsB })).status).toBe(404);
    expect((await send('POST', '/fhir/R4/Observation', bloodPressure(b, '2025-03-02T10:00:00Z'))).status).toBe(403);
    expect((await send('DELETE', `/fhir/R4/Observation/${obsB}`)).status).toBe(204);
    const search = await send('GET', `/fhir/R4/Observation?subject=Patient/${b}`);
    expect(search.body.entry ?? []).toEqual([]);
    const rows = await fresh();
    const summary = rows.map((r) => ({ kind: r.kind, outcome: r.outcome, patients: r.patients, agent: r.agent }));
    expect(summary).toEqual([
      { kind: 'read', outcome: 4, patients: [`Patient/${b}`], agent: `User/pat-${a}` },
      { kind: 'vread', outcome: 4, patients: [`Patient/${b}`], agent: `User/pat-${a}` },
      { kind: 'read', outcome: 4, patients: [], agent: `User/pat-${a}` },
      { kind: 'update', outcome: 4, patients: [`Patient/${b}`], agent: `User/pat-${a}` },
      { kind: 'create', outcome: 4, patients: [`Patient/${b}`], agent: `User/pat-${a}` },
      { kind: 'delete', outcome: 4, patients: [`Patient/${b}`], agent: `User/pat-${a}` },
      // The search returned nothing of B's: it is recorded with no patient.
      { kind: 'search-type', outcome: 0, patients: [], agent: `User/pat-${a}` },
    ]);
    const denied = JSON.parse(rows[0]?.content ?? '{}') as { outcome: string; outcomeDesc: string; entity: { what?: { reference?: string } }[] };
    expect(denied).toMatchObject({ outcome: '4', outcomeDesc: 'denied' });
    expect(denied.entity.map((e) => e.what?.reference)).toContain(`Observation/${obsB}`);
    expect(JSON.parse(rows[2]?.content ?? '{}')).toMatchObject({ outcomeDesc: 'not-found' });
  });

  it('does not record reads by internal jobs, but does record their writes', async () => {
    const sys = systemContext('test-job');
    const created = await t.app.fhir.create(sys, patient());
    await t.app.fhir.read(sys, 'Patient', String(created.resource.id));
    const rows = await fresh();
    expect(rows.map((r) => `${r.kind}:${r.agent ?? ''}`)).toEqual(['create:system:test-job']);
    expect(JSON.parse(rows[0]?.content ?? '{}')).toMatchObject({ agent: [{ who: { identifier: { value: 'system:test-job' } } }] });
  });

  it('records concurrent reads through few INSERTs, each before its answer', async () => {
    const p = await newPatient();
    since = Math.max(...(await fresh()).map((r) => r.seq));
    const answers = await Promise.all(Array.from({ length: 40 }, () => send('GET', `/fhir/R4/Patient/${p}`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Every answer was preceded by its event: all 40 are there once the requests have resolved.
    const rows = await fresh();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['read']));
  });
});
