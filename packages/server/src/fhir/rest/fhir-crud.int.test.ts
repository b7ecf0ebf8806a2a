import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';

const FHIR = 'application/fhir+json';

describe('FHIR REST: create, read, vread, update, patch, delete, history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
  });
  afterAll(async () => t.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': FHIR, ...headers }, payload: JSON.stringify(body) });

  it('creates with 201, Location, ETag and meta', async () => {
    const r = await post('/fhir/R4/Patient', patient());
    expect(r.statusCode).toBe(201);
    const body = r.json<{ id: string; meta: { versionId: string; lastUpdated: string } }>();
    expect(body.meta.versionId).toBe('1');
    expect(r.headers.etag).toBe('W/"1"');
    expect(r.headers.location).toMatch(new RegExp(`/fhir/R4/Patient/${body.id}/_history/1$`));
    expect(r.headers['content-type']).toContain('application/fhir+json');
    expect(r.headers['cache-control']).toBe('no-store');
    const read = await t.app.inject({ url: `/fhir/R4/Patient/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
    expect(read.headers['last-modified']).toBe(new Date(body.meta.lastUpdated).toUTCString());
  });

  it('updates with versions, If-Match locking, vread and history; deletes with 410 after', async () => {
    const created = (await post('/fhir/R4/Patient', patient('Smith', 'Ann'))).json<{ id: string } & Record<string, unknown>>();
    const url = `/fhir/R4/Patient/${created.id}`;
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'PUT', url, headers: { 'content-type': FHIR, ...headers }, payload: JSON.stringify(body) });
    const v2 = await put({ ...created, gender: 'female' }, { 'if-match': 'W/"1"' });
    expect(v2.statusCode).toBe(200);
    expect(v2.headers.etag).toBe('W/"2"');
    const stale = await put({ ...created, gender: 'other' }, { 'if-match': 'W/"1"' });
    expect(stale.statusCode).toBe(412);
    const patched = await t.app.inject({
      method: 'PATCH', url, headers: { 'content-type': 'application/json-patch+json' },
      payload: JSON.stringify([{ op: 'replace', path: '/birthDate', value: '1950-01-01' }]),
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ birthDate: '1950-01-01', gender: 'female', meta: { versionId: '3' } });
    const badPatch = await t.app.inject({ method: 'PATCH', url, headers: { 'content-type': 'application/json-patch+json' }, payload: JSON.stringify([{ op: 'test', path: '/gender', value: 'male' }]) });
    expect(badPatch.statusCode).toBe(400);
    const v1 = await t.app.inject({ url: `${url}/_history/1` });
    expect(v1.json()).toMatchObject({ gender: 'male', meta: { versionId: '1' } });
    const history = await t.app.inject({ url: `${url}/_history` });
    expect(history.json<{ type: string; entry: { response: { etag: string } }[] }>().entry.map((e) => e.response.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);
    expect((await t.app.inject({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await t.app.inject({ url })).statusCode).toBe(410);
    expect((await t.app.inject({ url: `${url}/_history` })).json<{ entry: unknown[] }>().entry).toHaveLength(4);
  });

  it('refuses invalid resources with an OperationOutcome pointing at the element', async () => {
    const r = await post('/fhir/R4/Observation', { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } });
    expect(r.statusCode).toBe(400);
    const oo = r.json<{ resourceType: string; issue: { expression?: string[] }[] }>();
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue.flatMap((i) => i.expression ?? [])).toContain('Observation.status');
  });

  it('answers 404 for unknown ids and types, 406 for XML, 415 for XML bodies', async () => {
    expect((await t.app.inject({ url: '/fhir/R4/Patient/does-not-exist' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/fhir/R4/Spaceship/1' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/fhir/R4/Patient', headers: { accept: 'application/fhir+xml' } })).statusCode).toBe(406);
    const xml = await t.app.inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { 'content-type': 'application/fhir+xml' }, payload: '<Patient/>' });
    expect(xml.statusCode).toBe(415);
  });

  it('searches the hot query: subject + code sorted by date, paged', async () => {
    const p = (await post('/fhir/R4/Patient', patient('Lee', 'Kim'))).json<{ id: string }>();
    for (let d = 1; d <= 25; d++) expect((await post('/fhir/R4/Observation', bloodPressure(p.id, `2026-01-${String(d).padStart(2, '0')}T08:00:00Z`))).statusCode).toBe(201);
    const page1 = await t.app.inject({ url: `/fhir/R4/Observation?subject=Patient/${p.id}&code=85354-9&_sort=-date&_count=10` });
    expect(page1.statusCode).toBe(200);
    const b1 = page1.json<{ entry: { resource: { effectiveDateTime: string } }[]; link: { relation: string; url: string }[] }>();
    expect(b1.entry.map((e) => e.resource.effectiveDateTime.slice(8, 10))).toEqual(['25', '24', '23', '22', '21', '20', '19', '18', '17', '16']);
    const next = b1.link.find((l) => l.relation === 'next')?.url ?? '';
    const page2 = await t.app.inject({ url: next.replace(/^https?:\/\/[^/]+/, '') });
    const b2 = page2.json<{ entry: { resource: { effectiveDateTime: string } }[] }>();
    expect(b2.entry.map((e) => e.resource.effectiveDateTime.slice(8, 10))).toEqual(['15', '14', '13', '12', '11', '10', '09', '08', '07', '06']);
    const byName = await t.app.inject({ url: '/fhir/R4/Patient?name=lee' });
    expect(byName.json<{ entry: unknown[] }>().entry).toHaveLength(1);
    const accent = await t.app.inject({ url: '/fhir/R4/Patient?family=nunez' });
    expect(accent.json<{ entry: unknown[] }>().entry.length).toBeGreaterThan(0);
    const unknown = await t.app.inject({ url: '/fhir/R4/Patient?shoe-size=9' });
    expect(unknown.statusCode).toBe(400);
    const lenient = await t.app.inject({ url: '/fhir/R4/Patient?shoe-size=9', headers: { prefer: 'handling=lenient' } });
    expect(lenient.statusCode).toBe(200);
  });
});
