import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';
import { failureOf, FhirKit, type BundleJson, type FhirJson } from '../test-support/fhir-kit.js';

/**
 * FHIR R4 conformance through an external client (fhir-kit-client) against a listening server:
 * what a third-party integration sees over a real socket, not what app.inject() sees.
 * https://hl7.org/fhir/R4/http.html is the contract each case cites.
 */
describe('FHIR R4 conformance through fhir-kit-client over HTTP', () => {
  let t: TestApp;
  let fhir: FhirKit;

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    fhir = new FhirKit(`${url}/fhir/R4`);
  });
  afterAll(async () => t.close());

  const asJson = (r: Record<string, unknown>): FhirJson => r as unknown as FhirJson;
  const idOf = (r: FhirJson): string => {
    expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    return r.id ?? '';
  };
  const entryResources = (b: BundleJson): FhirJson[] => (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));

  it('serves a CapabilityStatement that names the interactions exercised below', async () => {
    const { body, status, headers } = await fhir.capabilityStatement();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/fhir+json');
    expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const rest = (body.rest as { mode: string; interaction: { code: string }[]; resource: { type: string; interaction: { code: string }[]; conditionalCreate?: boolean }[] }[])[0];
    expect(rest?.mode).toBe('server');
    expect(rest?.interaction.map((i) => i.code)).toEqual(expect.arrayContaining(['transaction', 'batch']));
    const patientCaps = rest?.resource.find((r) => r.type === 'Patient');
    expect(patientCaps?.interaction.map((i) => i.code)).toEqual(
      expect.arrayContaining(['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type']),
    );
    expect(patientCaps?.conditionalCreate).toBe(true);
  });

  it('creates, reads, vreads, updates, patches and deletes; a deleted resource answers 410', async () => {
    const created = await fhir.create(asJson(patient('Conform', 'Ada')));
    expect(created.status).toBe(201);
    const id = idOf(created.body);
    expect(created.body.meta?.versionId).toBe('1');
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.headers.get('location')).toBe(`${fhir.baseUrl}/Patient/${id}/_history/1`);

    const read = await fhir.read('Patient', id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    // Update with optimistic locking (https://hl7.org/fhir/R4/http.html#concurrency).
    const updated = await fhir.update({ ...read.body, id, gender: 'female' }, { 'If-Match': 'W/"1"' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ gender: 'female', meta: { versionId: '2' } });
    expect((await failureOf(fhir.update({ ...read.body, id, gender: 'other' }, { 'If-Match': 'W/"1"' }))).status).toBe(412);

    // JSON Patch (RFC 6902) through the client's application/json-patch+json request.
    const patched = await fhir.patch('Patient', id, [{ op: 'replace', path: '/birthDate', value: '1950-01-01' }]);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ birthDate: '1950-01-01', gender: 'female', meta: { versionId: '3' } });

    const v1 = await fhir.vread('Patient', id, '1');
    expect(v1.body).toMatchObject({ id, gender: 'male', birthDate: '1948-03-02', meta: { versionId: '1' } });
    expect(v1.headers.get('etag')).toBe('W/"1"');

    const gone = await fhir.delete('Patient', id);
    expect(gone.status).toBe(204);
    const afterDelete = await failureOf(fhir.read('Patient', id));
    expect(afterDelete.status).toBe(410);
    expect(afterDelete.body).toMatchObject({ resourceType: 'OperationOutcome' });
    // History outlives the deletion.
    expect((await fhir.vread('Patient', id, '3')).body).toMatchObject({ birthDate: '1950-01-01' });
    expect((await failureOf(fhir.read('Patient', randomUUID()))).status).toBe(404);

    const history = await fhir.resourceHistory('Patient', id);
    expect(history.body).toMatchObject({ resourceType: 'Bundle', type: 'history' });
    const entries = history.body.entry ?? [];
    expect(entries.map((e) => e.response?.etag)).toEqual(['W/"4"', 'W/"3"', 'W/"2"', 'W/"1"']);
    expect(entries.map((e) => e.request?.method)).toEqual(['DELETE', 'PATCH', 'PUT', 'POST']);
    expect(entries[0]?.resource).toBeUndefined();
    expect(entries[3]?.resource).toMatchObject({ id, meta: { versionId: '1' } });

    // Type history is newest first, so this resource's four versions lead it.
    const typeHistory = await fhir.typeHistory('Patient');
    expect(typeHistory.body.type).toBe('history');
    expect((typeHistory.body.entry ?? []).slice(0, 4).map((e) => `${e.fullUrl ?? ''} ${e.response?.etag ?? ''}`)).toEqual(
      ['4', '3', '2', '1'].map((v) => `${fhir.baseUrl}/Patient/${id} W/"${v}"`),
    );
  });

  it('pages a search with nextPage until exhausted, returning each match exactly once', async () => {
    const p = idOf((await fhir.create(asJson(patient('Pager', 'Pam')))).body);
    const made: string[] = [];
    for (let d = 1; d <= 23; d++) {
      made.push(idOf((await fhir.create(asJson(bloodPressure(p, `2026-02-${String(d).padStart(2, '0')}T09:00:00Z`)))).body));
    }
    let page: BundleJson | undefined = (await fhir.search('Observation', { subject: `Patient/${p}`, _count: 5, _sort: '-date' })).body;
    const seen: string[] = [];
    const dates: string[] = [];
    let pages = 0;
    while (page && pages < 20) {
      expect(page.type).toBe('searchset');
      pages++;
      for (const r of entryResources(page)) {
        seen.push(idOf(r));
        dates.push(String(r.effectiveDateTime));
      }
      page = (await fhir.nextPage(page))?.body;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual([...made].sort());
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('searches by POST to Type/_search with a form body, as GET would', async () => {
    const family = `Post${randomUUID().slice(0, 8)}`;
    const id = idOf((await fhir.create(asJson(patient(family, 'Pia')))).body);
    const byGet = await fhir.search('Patient', { family });
    const byPost = await fhir.search('Patient', { family }, { post: true });
    expect(byPost.status).toBe(200);
    expect(entryResources(byPost.body).map((r) => r.id)).toEqual([id]);
    expect(entryResources(byGet.body)).toEqual(entryResources(byPost.body));
  });

  it('updates conditionally (PUT Type?criteria): none → 201, one → 200 on that resource', async () => {
    const mrn = `conform-${randomUUID()}`;
    const body = asJson({ ...patient('CondPut', 'Cu'), identifier: [{ system: 'urn:careline:mrn', value: mrn }] });
    const criteria = { identifier: `urn:careline:mrn|${mrn}` };
    const first = await fhir.conditionalUpdate(body, criteria);
    expect(first.status).toBe(201);
    const second = await fhir.conditionalUpdate(asJson({ ...body, active: true }), criteria);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, active: true, meta: { versionId: '2' } });
  });

  it('commits a transaction whose urn:uuid references point at the ids it assigned', async () => {
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const obs = (day: string): FhirJson => asJson({ ...bloodPressure('x', `2026-03-${day}T10:00:00Z`), subject: { reference: patientUrn } });
    const { body, status } = await fhir.transaction({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        // The Observations come first: references must resolve whatever the entry order.
        { fullUrl: `urn:uuid:${randomUUID()}`, resource: obs('01'), request: { method: 'POST', url: 'Observation' } },
        { fullUrl: patientUrn, resource: asJson(patient('Txn', 'Tom')), request: { method: 'POST', url: 'Patient' } },
        { fullUrl: `urn:uuid:${randomUUID()}`, resource: obs('02'), request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(status).toBe(200);
    expect(body.type).toBe('transaction-response');
    const entries = body.entry ?? [];
    expect(entries.map((e) => e.response?.status)).toEqual(['201', '201', '201']);
    const patientId = idOf(entries[1]?.resource ?? asJson({}));
    expect(entries[1]?.response?.location).toBe(`Patient/${patientId}/_history/1`);
    for (const i of [0, 2]) {
      const obsId = idOf(entries[i]?.resource ?? asJson({}));
      const stored = (await fhir.read('Observation', obsId)).body;
      expect(stored.subject).toEqual({ reference: `Patient/${patientId}` });
    }
    expect((await fhir.read('Patient', patientId)).body).toMatchObject({ name: [{ family: 'Txn' }] });
    const found = await fhir.search('Observation', { subject: `Patient/${patientId}` });
    expect(entryResources(found.body)).toHaveLength(2);
  });

  it('resolves urn:uuid references to a conditional create in a transaction, matched or new', async () => {
    const mrn = `conform-${randomUUID()}`;
    const run = async (): Promise<{ patientId: string; subject: unknown; statuses: (string | undefined)[] }> => {
      const urn = `urn:uuid:${randomUUID()}`;
      const { body } = await fhir.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: `urn:uuid:${randomUUID()}`, resource: asJson({ ...bloodPressure('x', '2026-03-05T10:00:00Z'), subject: { reference: urn } }), request: { method: 'POST', url: 'Observation' } },
          {
            fullUrl: urn,
            resource: asJson({ ...patient('Cond', 'Txn'), identifier: [{ system: 'urn:careline:mrn', value: mrn }] }),
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:careline:mrn|${mrn}` },
          },
        ],
      });
      const entries = body.entry ?? [];
      const obsId = idOf(entries[0]?.resource ?? asJson({}));
      return {
        patientId: idOf(entries[1]?.resource ?? asJson({})),
        subject: (await fhir.read('Observation', obsId)).body.subject,
        statuses: entries.map((e) => e.response?.status),
      };
    };
    const first = await run();
    expect(first.statuses).toEqual(['201', '201']);
    expect(first.subject).toEqual({ reference: `Patient/${first.patientId}` });
    await fhir.read('Patient', first.patientId);
    const second = await run();
    expect(second.statuses).toEqual(['201', '200']);
    expect(second.patientId).toBe(first.patientId);
    expect(second.subject).toEqual({ reference: `Patient/${first.patientId}` });
  });

  it('processes a batch entry by entry: one failure does not stop the others', async () => {
    const existing = (await fhir.create(asJson(patient('Batch', 'Bo')))).body;
    const existingId = idOf(existing);
    const { body, status } = await fhir.batch({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: asJson(patient('Batch', 'New')), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: `Patient/${randomUUID()}` } },
        { resource: asJson({ resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }), request: { method: 'POST', url: 'Observation' } },
        { resource: asJson({ ...existing, id: existingId, gender: 'female' }), request: { method: 'PUT', url: `Patient/${existingId}` } },
        { request: { method: 'GET', url: `Patient/${existingId}/_history/1` } },
      ],
    });
    expect(status).toBe(200);
    expect(body.type).toBe('batch-response');
    const entries = body.entry ?? [];
    expect(entries.map((e) => e.response?.status)).toEqual(['201', '404', '400', '200', '200']);
    expect(entries[1]?.response?.outcome).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(entries[2]?.response?.outcome).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(entries[4]?.resource).toMatchObject({ id: existingId, gender: 'male', meta: { versionId: '1' } });
    const newId = idOf(entries[0]?.resource ?? asJson({}));
    expect((await fhir.read('Patient', newId)).body).toMatchObject({ name: [{ given: ['New'] }] });
    expect((await fhir.read('Patient', existingId)).body).toMatchObject({ gender: 'female', meta: { versionId: '2' } });
  });

  it('creates conditionally with If-None-Exist: none → 201, one → 200 with its id, several → 412', async () => {
    const mrn = `conform-${randomUUID()}`;
    const body = asJson({ ...patient('Cond', 'Cy'), identifier: [{ system: 'urn:careline:mrn', value: mrn }] });
    const header = { 'If-None-Exist': `identifier=urn:careline:mrn|${mrn}` };
    const first = await fhir.create(body, header);
    expect(first.status).toBe(201);
    const again = await fhir.create(body, header);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.meta?.versionId).toBe('1');
    // A plain create ignores the criteria, so now two match.
    expect((await fhir.create(body)).status).toBe(201);
    const ambiguous = await failureOf(fhir.create(body, header));
    expect(ambiguous.status).toBe(412);
    expect(ambiguous.body).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('honours Prefer: return=minimal (empty body, Location, ETag) and return=OperationOutcome', async () => {
    const minimal = await fhir.create(asJson(patient('Prefer', 'Min')), { Prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.body).toEqual({});
    expect(minimal.headers.get('content-length')).toBe('0');
    const location = minimal.headers.get('location') ?? '';
    const m = new RegExp(`^${fhir.baseUrl}/Patient/([^/]+)/_history/1$`).exec(location);
    expect(m).not.toBeNull();
    const id = m?.[1] ?? '';
    expect(minimal.headers.get('etag')).toBe('W/"1"');
    const current = (await fhir.read('Patient', id)).body;
    expect(current).toMatchObject({ name: [{ family: 'Prefer' }] });

    const minimalUpdate = await fhir.update({ ...current, id, active: true }, { Prefer: 'return=minimal' });
    expect(minimalUpdate.status).toBe(200);
    expect(minimalUpdate.body).toEqual({});
    expect(minimalUpdate.headers.get('etag')).toBe('W/"2"');

    const outcome = await fhir.create(asJson(patient('Prefer', 'Oc')), { Prefer: 'return=OperationOutcome' });
    expect(outcome.status).toBe(201);
    expect(outcome.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    expect(outcome.headers.get('location')).toMatch(new RegExp(`^${fhir.baseUrl}/Patient/[^/]+/_history/1$`));

    const patchedOutcome = await fhir.patch('Patient', id, [{ op: 'add', path: '/gender', value: 'female' }], { Prefer: 'return=OperationOutcome' });
    expect(patchedOutcome.status).toBe(200);
    expect(patchedOutcome.body.resourceType).toBe('OperationOutcome');

    const deletedOutcome = await fhir.delete('Patient', id, { Prefer: 'return=OperationOutcome' });
    expect(deletedOutcome.status).toBe(200);
    expect(deletedOutcome.body).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});
