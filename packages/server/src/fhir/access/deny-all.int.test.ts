import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { openAccess } from '../test-support/fhir-fixtures.js';
import { denyAllPolicy, type AccessContext, type AccessPolicy, type ResourceFacts } from './access-policy.js';

/**
 * The one-door proof. One app, one database; the caller's policy comes from a test header, so the
 * data seeded with the permissive policy is exactly the data the deny-all caller probes. Under
 * deny-all every interaction must answer as if the data were not there (404, an empty Bundle, 403
 * for a write) and change nothing. Under a Patient/pat-a compartment policy, no search, include,
 * chain or _has may return or reveal Patient/pat-b's data.
 */

const FHIR = 'application/fhir+json';
const MRN = 'urn:careline:mrn';
const LOINC = 'http://loinc.org';

/** May read and write only what is in one patient's compartment; searches are scoped to it. */
function compartmentPolicy(patientRef: string): AccessPolicy {
  const inside = (f: ResourceFacts): boolean => f.compartments.includes(patientRef);
  return {
    name: `compartment:${patientRef}`,
    canRead: inside,
    canCreate: inside,
    canUpdate: (before, after) => inside(before) && inside(after),
    canDelete: inside,
    searchScope: () => ({ kind: 'compartments', compartments: [patientRef] }),
  };
}

const DENY: AccessContext = { actor: 'test:deny-all', policy: denyAllPolicy };
const ONLY_A: AccessContext = { actor: 'User/a', policy: compartmentPolicy('Patient/pat-a') };

/**
 * Facts that exist only inside the seeded resources (never in a request below), so none may reach a
 * denied caller. Ids are not on the list: an error may echo the id the caller itself asked for.
 */
const SECRETS = ['Alvarez', 'Berg', 'Okafor', '1970-01-0', '1980-05-05', '2024-03-15T08:0', 'prov-a1', 'enc-a', 'obs-b1', 'obs-b2'];

interface Entry {
  resource?: { resourceType: string; id?: string };
  search?: { mode: string };
  response?: { status: string };
}
interface Bundle {
  resourceType: string;
  type: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: Entry[];
}

describe('deny-all: nothing leaks through any FHIR interaction', () => {
  let t: TestApp;

  type Policy = 'open' | 'deny' | 'only-a';
  const call = async (policy: Policy, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
    const contentType = method === 'PATCH' ? 'application/json-patch+json' : FHIR;
    return t.app.inject({
      method,
      url,
      headers: { 'x-test-policy': policy, ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  };
  const seed = async (url: string, body: Record<string, unknown>): Promise<void> => {
    const r = await call('open', 'PUT', url, body);
    expect(r.statusCode, r.body).toBeLessThan(300);
  };

  /** Every row the store keeps, with versions and index size: what "nothing changed" means. */
  const snapshot = async (): Promise<string> => {
    const db = t.tdb.db;
    const current = await db.query<{ resource_type: string; id: string; version_id: number; deleted: boolean; content: string }>(
      'SELECT resource_type, id, version_id, deleted, content FROM fhir_resource ORDER BY resource_type, id',
    );
    const history = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_resource_history');
    const index = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_search');
    return JSON.stringify({ current: current.rows, history: history.rows[0]?.n, index: index.rows[0]?.n });
  };
  let before = '';

  /** An answer to a denied caller carries none of the seeded data. */
  const expectNoSecrets = (text: string, context: string): void => {
    for (const s of SECRETS) expect(text.includes(s), `${context} leaked "${s}": ${text.slice(0, 300)}`).toBe(false);
  };

  /** The same status and the same kind of OperationOutcome as for something that never existed. */
  const expectSameAs = (hidden: LightMyRequestResponse, unknown: LightMyRequestResponse, context: string): void => {
    expect(hidden.statusCode, context).toBe(unknown.statusCode);
    if (unknown.body) {
      const codes = (r: LightMyRequestResponse): unknown => r.json<{ issue?: { code: string }[] }>().issue?.map((i) => i.code);
      expect(codes(hidden), context).toEqual(codes(unknown));
    } else expect(hidden.body, context).toBe('');
  };

  beforeAll(async () => {
    t = await createTestApp({}, {
      fhirAccess: (request) => {
        const p = request.headers['x-test-policy'];
        if (p === 'deny') return DENY;
        if (p === 'only-a') return ONLY_A;
        return openAccess;
      },
    });
    await seed('/fhir/R4/Patient/pat-a', { resourceType: 'Patient', id: 'pat-a', identifier: [{ system: MRN, value: 'A-1' }], name: [{ family: 'Alvarez', given: ['Ana'] }], birthDate: '1970-01-01' });
    await seed('/fhir/R4/Patient/pat-a', { resourceType: 'Patient', id: 'pat-a', identifier: [{ system: MRN, value: 'A-1' }], name: [{ family: 'Alvarez', given: ['Ana'] }], birthDate: '1970-01-02' });
    await seed('/fhir/R4/Patient/pat-b', { resourceType: 'Patient', id: 'pat-b', identifier: [{ system: MRN, value: 'B-1' }], name: [{ family: 'Berg', given: ['Bruno'] }], birthDate: '1980-05-05' });
    await seed('/fhir/R4/Practitioner/prac-1', { resourceType: 'Practitioner', id: 'prac-1', name: [{ family: 'Okafor' }] });
    const obs = (id: string, subject: string, code: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] }, subject: { reference: subject }, effectiveDateTime: '2024-03-15T08:00:00Z', ...extra,
    });
    await seed('/fhir/R4/Observation/obs-a1', obs('obs-a1', 'Patient/pat-a', '8867-4', { performer: [{ reference: 'Practitioner/prac-1' }] }));
    // In A's compartment (subject), pointing at B (focus is not a compartment parameter).
    await seed('/fhir/R4/Observation/obs-a2', obs('obs-a2', 'Patient/pat-a', '29463-7', { focus: [{ reference: 'Patient/pat-b' }] }));
    await seed('/fhir/R4/Observation/obs-b1', obs('obs-b1', 'Patient/pat-b', '4548-4'));
    // In B's compartment, pointing at A.
    await seed('/fhir/R4/Observation/obs-b2', obs('obs-b2', 'Patient/pat-b', '72166-2', { focus: [{ reference: 'Patient/pat-a' }] }));
    await seed('/fhir/R4/Observation/obs-del', obs('obs-del', 'Patient/pat-a', '2339-0'));
    expect((await call('open', 'DELETE', '/fhir/R4/Observation/obs-del')).statusCode).toBe(204);
    await seed('/fhir/R4/Encounter/enc-a', { resourceType: 'Encounter', id: 'enc-a', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/pat-a' } });
    await seed('/fhir/R4/Provenance/prov-a1', {
      resourceType: 'Provenance', id: 'prov-a1', target: [{ reference: 'Observation/obs-a1' }], recorded: '2024-03-15T08:05:00Z', agent: [{ who: { reference: 'Practitioner/prac-1' } }],
    });
    before = await snapshot();
  });
  afterAll(async () => t.close());

  describe('reads', () => {
    it('read and vread answer 404, exactly as for ids that never existed; a deleted resource is 404, not 410', async () => {
      const unknown = await call('deny', 'GET', '/fhir/R4/Patient/never-was');
      expect(unknown.statusCode).toBe(404);
      for (const url of ['/fhir/R4/Patient/pat-a', '/fhir/R4/Observation/obs-a1', '/fhir/R4/Observation/obs-del', '/fhir/R4/Practitioner/prac-1']) {
        const r = await call('deny', 'GET', url);
        expectSameAs(r, unknown, url);
        expectNoSecrets(r.body, url);
      }
      for (const url of ['/fhir/R4/Patient/pat-a/_history/1', '/fhir/R4/Patient/pat-a/_history/2', '/fhir/R4/Observation/obs-del/_history/1', '/fhir/R4/Observation/obs-del/_history/2']) {
        const r = await call('deny', 'GET', url);
        expectSameAs(r, await call('deny', 'GET', '/fhir/R4/Patient/never-was/_history/1'), url);
        expectNoSecrets(r.body, url);
      }
      // The permissive caller does see them (the test would prove nothing otherwise).
      expect((await call('open', 'GET', '/fhir/R4/Patient/pat-a')).statusCode).toBe(200);
      expect((await call('open', 'GET', '/fhir/R4/Observation/obs-del')).statusCode).toBe(410);
    });

    it('Patient/$everything answers 404', async () => {
      const r = await call('deny', 'GET', '/fhir/R4/Patient/pat-a/$everything');
      expectSameAs(r, await call('deny', 'GET', '/fhir/R4/Patient/never-was/$everything'), '$everything');
      expectNoSecrets(r.body, '$everything');
    });

    it('instance history is 404; type and system history are empty', async () => {
      for (const url of ['/fhir/R4/Patient/pat-a/_history', '/fhir/R4/Observation/obs-del/_history']) {
        const r = await call('deny', 'GET', url);
        expectSameAs(r, await call('deny', 'GET', '/fhir/R4/Patient/never-was/_history'), url);
      }
      for (const url of ['/fhir/R4/Patient/_history', '/fhir/R4/Observation/_history?_count=1000', '/fhir/R4/_history', '/fhir/R4/_history?_since=2000-01-01']) {
        const r = await call('deny', 'GET', url);
        expect(r.statusCode, url).toBe(200);
        const b = r.json<Bundle>();
        expect(b.type).toBe('history');
        expect(b.entry ?? [], url).toEqual([]);
        expect(b.link?.some((l) => l.relation === 'next'), url).toBe(false);
        expectNoSecrets(JSON.stringify(b.entry), url);
      }
    });
  });

  describe('searches', () => {
    const emptySearch = async (url: string, init: { method?: 'GET' | 'POST'; form?: string; headers?: Record<string, string> } = {}): Promise<Bundle> => {
      const run = async (policy: Policy): Promise<LightMyRequestResponse> =>
        init.method === 'POST'
          ? t.app.inject({ method: 'POST', url, headers: { 'x-test-policy': policy, 'content-type': 'application/x-www-form-urlencoded', ...init.headers }, payload: init.form ?? '' })
          : call(policy, 'GET', url, undefined, init.headers);
      // The control: the permissive caller finds something with the same search, so an empty answer
      // below is the policy at work and not a search that matches nothing anyway.
      const open = (await run('open')).json<Bundle>();
      expect((open.entry ?? []).some((e) => e.search?.mode !== 'outcome') || (open.total ?? 0) > 0, `control for ${url}`).toBe(true);
      const r = await run('deny');
      expect(r.statusCode, `${url} → ${r.body}`).toBe(200);
      const b = r.json<Bundle>();
      expect(b.type).toBe('searchset');
      const resources = (b.entry ?? []).filter((e) => e.search?.mode !== 'outcome');
      expect(resources, url).toEqual([]);
      expect(b.total === undefined || b.total === 0, `${url} total ${String(b.total)}`).toBe(true);
      expect(b.link?.some((l) => l.relation === 'next' || l.relation === 'previous'), url).toBe(false);
      // Only the self link may echo the caller's own query; nothing else may carry seeded data.
      expectNoSecrets(JSON.stringify(b.entry ?? []), url);
      return b;
    };

    it('every type searched plainly is empty, with total 0 or absent', async () => {
      for (const type of ['Patient', 'Observation', 'Encounter', 'Practitioner', 'Provenance']) await emptySearch(`/fhir/R4/${type}`);
    });

    it('filters that name the hidden data match nothing', async () => {
      await emptySearch('/fhir/R4/Patient?_id=pat-a,pat-b');
      await emptySearch('/fhir/R4/Patient?identifier=urn:careline:mrn|A-1');
      await emptySearch('/fhir/R4/Patient?name=alvarez');
      await emptySearch('/fhir/R4/Observation?subject=Patient/pat-a');
      await emptySearch('/fhir/R4/Observation?code=8867-4&_sort=-date');
      await emptySearch('/fhir/R4/Observation?subject:missing=false');
      await emptySearch('/fhir/R4/Observation?_lastUpdated=gt2000');
    });

    it('_include, _include:iterate and _revinclude bring in nothing', async () => {
      await emptySearch('/fhir/R4/Observation?_include=Observation:subject&_include=Observation:performer');
      await emptySearch('/fhir/R4/Provenance?_include=Provenance:target&_include:iterate=Observation:subject');
      await emptySearch('/fhir/R4/Observation?_revinclude=Provenance:target');
      await emptySearch('/fhir/R4/Patient?_revinclude=Observation:subject&_include=*');
    });

    it('chains and _has reveal nothing', async () => {
      await emptySearch('/fhir/R4/Observation?subject:Patient.name=alvarez');
      await emptySearch('/fhir/R4/Observation?patient.identifier=A-1');
      await emptySearch('/fhir/R4/Patient?_has:Observation:subject:code=8867-4');
      await emptySearch('/fhir/R4/Practitioner?_has:Provenance:agent:target=Observation/obs-a1');
    });

    it('totals and summaries count nothing', async () => {
      expect((await emptySearch('/fhir/R4/Observation?_total=accurate')).total).toBe(0);
      expect((await emptySearch('/fhir/R4/Observation?_total=estimate&_count=1')).total).toBe(0);
      expect((await emptySearch('/fhir/R4/Observation?_summary=count')).total).toBe(0);
      expect((await emptySearch('/fhir/R4/Patient?_count=0')).total).toBe(0);
      expect((await emptySearch('/fhir/R4/Patient?name=alvarez&_summary=count')).total).toBe(0);
      await emptySearch('/fhir/R4/Patient?_summary=true');
      await emptySearch('/fhir/R4/Patient?_elements=name');
    });

    it('lenient searches and POST _search are empty too', async () => {
      const lenient = await emptySearch('/fhir/R4/Patient?shoe-size=9&name=alvarez', { headers: { prefer: 'handling=lenient' } });
      expect(lenient.entry?.map((e) => e.search?.mode)).toEqual(['outcome']);
      await emptySearch('/fhir/R4/Observation/_search', { method: 'POST', form: 'subject=Patient/pat-a&_include=Observation:subject&_total=accurate' });
    });

    it('conditional criteria are searches too: If-None-Exist does not hand back a hidden match', async () => {
      const body = { resourceType: 'Patient', identifier: [{ system: MRN, value: 'A-1' }], name: [{ family: 'Copy' }] };
      const matching = await call('deny', 'POST', '/fhir/R4/Patient', body, { 'if-none-exist': `identifier=${MRN}|A-1` });
      const nothing = await call('deny', 'POST', '/fhir/R4/Patient', body, { 'if-none-exist': `identifier=${MRN}|no-such` });
      expect(matching.statusCode).toBe(403);
      expectSameAs(matching, nothing, 'If-None-Exist');
      expectNoSecrets(matching.body, 'If-None-Exist');
      expect(await snapshot()).toBe(before);
    });
  });

  describe('writes are refused and change nothing', () => {
    it('create answers 403', async () => {
      for (const body of [{ resourceType: 'Patient', name: [{ family: 'New' }] }, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/pat-a' } }]) {
        const r = await call('deny', 'POST', `/fhir/R4/${body.resourceType}`, body);
        expect(r.statusCode, r.body).toBe(403);
      }
      expect(await snapshot()).toBe(before);
    });

    it('update of a hidden resource answers 403 or 404; update-as-create at a client id answers 404', async () => {
      const hidden = await call('deny', 'PUT', '/fhir/R4/Patient/pat-a', { resourceType: 'Patient', id: 'pat-a', name: [{ family: 'Hijacked' }] });
      expect([403, 404]).toContain(hidden.statusCode);
      expectNoSecrets(hidden.body, 'PUT hidden');
      const fresh = await call('deny', 'PUT', '/fhir/R4/Patient/never-was', { resourceType: 'Patient', id: 'never-was', name: [{ family: 'Planted' }] });
      expect(fresh.statusCode).toBe(404);
      // If-Match must not become a version oracle: right and wrong versions answer alike.
      const right = await call('deny', 'PUT', '/fhir/R4/Patient/pat-a', { resourceType: 'Patient', id: 'pat-a' }, { 'if-match': 'W/"2"' });
      const wrong = await call('deny', 'PUT', '/fhir/R4/Patient/pat-a', { resourceType: 'Patient', id: 'pat-a' }, { 'if-match': 'W/"1"' });
      expect([403, 404]).toContain(right.statusCode);
      expectSameAs(wrong, right, 'If-Match');
      expect(await snapshot()).toBe(before);
    });

    // A PUT to an id the caller may not create at answers 404, like a hidden existing one, so a
    // denied caller cannot tell whether an id exists.
    it('a PUT to a hidden id answers exactly as a PUT to an id that never existed', async () => {
      const hidden = await call('deny', 'PUT', '/fhir/R4/Patient/pat-b', { resourceType: 'Patient', id: 'pat-b' });
      const unknown = await call('deny', 'PUT', '/fhir/R4/Patient/never-was', { resourceType: 'Patient', id: 'never-was' });
      expectSameAs(hidden, unknown, 'PUT');
    });

    it('patch answers 404, as for an unknown id', async () => {
      const ops = [{ op: 'replace', path: '/birthDate', value: '1999-09-09' }];
      const r = await call('deny', 'PATCH', '/fhir/R4/Patient/pat-a', ops);
      expectSameAs(r, await call('deny', 'PATCH', '/fhir/R4/Patient/never-was', ops), 'PATCH');
      expect(r.statusCode).toBe(404);
      expect((await call('deny', 'PATCH', '/fhir/R4/Observation/obs-del', ops)).statusCode).toBe(404);
      expect(await snapshot()).toBe(before);
    });

    it('delete answers as for an unknown id (204, nothing there to delete) and deletes nothing', async () => {
      const unknown = await call('deny', 'DELETE', '/fhir/R4/Patient/never-was');
      for (const url of ['/fhir/R4/Patient/pat-a', '/fhir/R4/Observation/obs-a1', '/fhir/R4/Observation/obs-del']) {
        const r = await call('deny', 'DELETE', url);
        expect([204, 403, 404]).toContain(r.statusCode);
        expectSameAs(r, unknown, url);
      }
      expect(await snapshot()).toBe(before);
    });

    it('conditional update and conditional delete find nothing to act on', async () => {
      const put = await call('deny', 'PUT', `/fhir/R4/Patient?identifier=${encodeURIComponent(`${MRN}|A-1`)}`, { resourceType: 'Patient', name: [{ family: 'Hijacked' }] });
      expect(put.statusCode, put.body).toBe(403);
      expectNoSecrets(put.body, 'conditional PUT');
      const del = await call('deny', 'DELETE', `/fhir/R4/Patient?identifier=${encodeURIComponent(`${MRN}|A-1`)}`);
      expectSameAs(del, await call('deny', 'DELETE', '/fhir/R4/Patient?identifier=no-such'), 'conditional DELETE');
      const delAll = await call('deny', 'DELETE', '/fhir/R4/Observation?subject=Patient/pat-a');
      expect([204, 403, 404]).toContain(delAll.statusCode);
      expect(await snapshot()).toBe(before);
    });
  });

  describe('bundles', () => {
    const entries = [
      { request: { method: 'GET', url: 'Patient/pat-a' } },
      { request: { method: 'GET', url: 'Observation?subject=Patient/pat-a&_include=Observation:subject' } },
      { request: { method: 'GET', url: 'Patient/pat-a/_history/1' } },
      { resource: { resourceType: 'Patient', name: [{ family: 'Planted' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system: MRN, value: 'A-1' }] }, request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${MRN}|A-1` } },
      { resource: { resourceType: 'Patient', id: 'pat-a', name: [{ family: 'Hijacked' }] }, request: { method: 'PUT', url: 'Patient/pat-a' } },
      { resource: { resourceType: 'Patient', name: [{ family: 'Hijacked' }] }, request: { method: 'PUT', url: `Patient?identifier=${MRN}|A-1` } },
      { resource: [{ op: 'replace', path: '/birthDate', value: '1999-09-09' }], request: { method: 'PATCH', url: 'Patient/pat-a' } },
      { request: { method: 'DELETE', url: 'Observation/obs-a1' } },
      { request: { method: 'DELETE', url: 'Observation?subject=Patient/pat-a' } },
    ];

    it('a batch refuses each entry on its own and reveals nothing', async () => {
      const r = await call('deny', 'POST', '/fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: entries });
      expect(r.statusCode, r.body).toBe(200);
      const b = r.json<Bundle>();
      expect(b.type).toBe('batch-response');
      const statuses = (b.entry ?? []).map((e) => e.response?.status);
      expect(statuses).toEqual(['404', '200', '404', '403', '403', '404', '403', '404', '204', '204']);
      const search = b.entry?.[1]?.resource as Bundle | undefined;
      expect(search?.entry ?? []).toEqual([]);
      expectNoSecrets(JSON.stringify(b.entry), 'batch');
      expect(await snapshot()).toBe(before);
    });

    it('a transaction with any write is refused as a whole and leaves no trace', async () => {
      const r = await call('deny', 'POST', '/fhir/R4', { resourceType: 'Bundle', type: 'transaction', entry: entries.filter((e) => e.request.method !== 'GET') });
      expect([403, 404]).toContain(r.statusCode);
      expect(r.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
      expectNoSecrets(r.body, 'transaction');
      const urnCreate = await call('deny', 'POST', '/fhir/R4', {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:9a0e4c9e-5d4e-4a53-9f5e-7d2f1d0c2b11', resource: { resourceType: 'Patient', name: [{ family: 'Planted' }] }, request: { method: 'POST', url: 'Patient' } },
          { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:9a0e4c9e-5d4e-4a53-9f5e-7d2f1d0c2b11' } }, request: { method: 'POST', url: 'Observation' } },
        ],
      });
      expect(urnCreate.statusCode).toBe(403);
      expect(await snapshot()).toBe(before);
    });
  });

  it('/metadata still answers', async () => {
    const r = await call('deny', 'GET', '/fhir/R4/metadata');
    expect(r.statusCode).toBe(200);
    expect(r.json<{ resourceType: string }>().resourceType).toBe('CapabilityStatement');
  });

  it('after all of the above, the permissive caller sees the data exactly as seeded', async () => {
    expect(await snapshot()).toBe(before);
    const a = (await call('open', 'GET', '/fhir/R4/Patient/pat-a')).json<{ birthDate: string; meta: { versionId: string } }>();
    expect(a).toMatchObject({ birthDate: '1970-01-02', meta: { versionId: '2' } });
    expect((await call('open', 'GET', '/fhir/R4/Observation/obs-a1')).statusCode).toBe(200);
    const total = (await call('open', 'GET', '/fhir/R4/Patient?_summary=count')).json<Bundle>().total;
    expect(total).toBe(2);
  });
});

describe('compartment policy: a caller limited to Patient/pat-a never sees Patient/pat-b', () => {
  let t: TestApp;
  const get = async (url: string): Promise<LightMyRequestResponse> => t.app.inject({ url, headers: { 'x-test-policy': 'only-a' } });
  const ids = async (url: string, mode: 'match' | 'include' = 'match'): Promise<string[]> => {
    const r = await get(url);
    expect(r.statusCode, `${url} → ${r.body}`).toBe(200);
    return (r.json<Bundle>().entry ?? []).filter((e) => e.search?.mode === mode).map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`).sort();
  };
  const B_DATA = ['pat-b', 'obs-b1', 'obs-b2', 'Berg', 'B-1'];
  const expectNoB = (text: string, context: string): void => {
    // pat-b legitimately appears as a reference inside obs-a2 (focus), which A may read; so look for
    // B's own resources and facts, not the bare reference.
    for (const s of B_DATA.filter((x) => x !== 'pat-b')) expect(text.includes(s), `${context} leaked ${s}`).toBe(false);
    expect(text.includes('"id":"pat-b"'), `${context} returned Patient/pat-b`).toBe(false);
  };

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: (request) => (request.headers['x-test-policy'] === 'only-a' ? ONLY_A : openAccess) });
    const put = async (body: Record<string, unknown>): Promise<void> => {
      const r = await t.app.inject({ method: 'PUT', url: `/fhir/R4/${String(body.resourceType)}/${String(body.id)}`, headers: { 'content-type': FHIR }, payload: JSON.stringify(body) });
      expect(r.statusCode, r.body).toBe(201);
    };
    const obs = (id: string, subject: string, code: string, focus?: string): Record<string, unknown> => ({
      resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] }, subject: { reference: subject },
      ...(focus ? { focus: [{ reference: focus }] } : {}),
    });
    await put({ resourceType: 'Patient', id: 'pat-a', identifier: [{ system: MRN, value: 'A-1' }], name: [{ family: 'Alvarez' }] });
    await put({ resourceType: 'Patient', id: 'pat-b', identifier: [{ system: MRN, value: 'B-1' }], name: [{ family: 'Berg' }] });
    await put(obs('obs-a1', 'Patient/pat-a', '8867-4'));
    await put(obs('obs-a2', 'Patient/pat-a', '29463-7', 'Patient/pat-b'));
    await put(obs('obs-b1', 'Patient/pat-b', '4548-4'));
    await put(obs('obs-b2', 'Patient/pat-b', '72166-2', 'Patient/pat-a'));
  });
  afterAll(async () => t.close());

  it('plain searches return only A’s compartment', async () => {
    expect(await ids('/fhir/R4/Patient')).toEqual(['Patient/pat-a']);
    expect(await ids('/fhir/R4/Observation')).toEqual(['Observation/obs-a1', 'Observation/obs-a2']);
    expect(await ids('/fhir/R4/Observation?subject=Patient/pat-b')).toEqual([]);
    expect(await ids('/fhir/R4/Patient?name=berg')).toEqual([]);
    const count = (await get('/fhir/R4/Observation?_summary=count')).json<Bundle>().total;
    expect(count).toBe(2);
    expect((await get('/fhir/R4/Observation?_total=accurate&_count=1')).json<Bundle>().total).toBe(2);
  });

  it('_include does not pull in B, even when A’s resource points at B', async () => {
    const url = '/fhir/R4/Observation?_include=Observation:focus&_include=Observation:subject';
    expect(await ids(url)).toEqual(['Observation/obs-a1', 'Observation/obs-a2']);
    expect(await ids(url, 'include')).toEqual(['Patient/pat-a']);
    expectNoB((await get(url)).body, url);
    // Control: without the policy the same search does pull B in.
    expect((await t.app.inject({ url })).body).toContain('"id":"pat-b"');
    const rev = '/fhir/R4/Patient?_revinclude=Observation:focus&_revinclude=Observation:subject';
    expect(await ids(rev, 'include')).toEqual(['Observation/obs-a1', 'Observation/obs-a2']);
    expectNoB((await get(rev)).body, rev);
  });

  it('a chain through B matches nothing (it would reveal B’s name)', async () => {
    expect(await ids('/fhir/R4/Observation?focus:Patient.name=berg')).toEqual([]);
    expect((await t.app.inject({ url: '/fhir/R4/Observation?focus:Patient.name=berg' })).json<Bundle>().entry?.length).toBe(1);
    expect(await ids('/fhir/R4/Observation?subject:Patient.name=berg')).toEqual([]);
    expect(await ids('/fhir/R4/Observation?focus:Patient.identifier=B-1')).toEqual([]);
    // The same chain through A works, so the empty answers above are the policy, not a broken chain.
    expect(await ids('/fhir/R4/Observation?subject:Patient.name=alvarez')).toEqual(['Observation/obs-a1', 'Observation/obs-a2']);
  });

  it('_has through B’s observations matches nothing', async () => {
    expect(await ids('/fhir/R4/Patient?_has:Observation:focus:code=72166-2')).toEqual([]);
    expect((await t.app.inject({ url: '/fhir/R4/Patient?_has:Observation:focus:code=72166-2' })).json<Bundle>().entry?.length).toBe(1);
    expect(await ids('/fhir/R4/Patient?_has:Observation:subject:code=4548-4')).toEqual([]);
    expect(await ids('/fhir/R4/Patient?_has:Observation:subject:code=8867-4')).toEqual(['Patient/pat-a']);
  });

  it('reads, $everything and history stay inside A', async () => {
    expect((await get('/fhir/R4/Patient/pat-b')).statusCode).toBe(404);
    expect((await get('/fhir/R4/Observation/obs-b2')).statusCode).toBe(404);
    expect((await get('/fhir/R4/Patient/pat-b/$everything')).statusCode).toBe(404);
    expect((await get('/fhir/R4/Patient/pat-b/_history')).statusCode).toBe(404);
    const everything = await get('/fhir/R4/Patient/pat-a/$everything');
    expect(everything.statusCode).toBe(200);
    expectNoB(everything.body, '$everything');
    const history = await get('/fhir/R4/Observation/_history');
    expect(history.statusCode).toBe(200);
    expectNoB(JSON.stringify(history.json<Bundle>().entry), 'type history');
    expect((history.json<Bundle>().entry ?? []).map((e) => e.resource?.id).sort()).toEqual(['obs-a1', 'obs-a2']);
  });
});
