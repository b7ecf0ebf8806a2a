import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissivePolicy, type AccessContext } from '../fhir/index.js';
import { patient } from '../fhir/test-support/fhir-fixtures.js';
import type { Principal } from '../identity/principal.js';
import { AuditTrail } from '../platform/audit/audit-trail.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import type { TAccessLogPage, TAuditReportPage } from './audit-report.types.js';

/** Test principals by name, chosen with the x-test-principal header (authentication is another capability's). */
const PRINCIPALS: Record<string, Principal> = {
  admin: { kind: 'user', accountId: 'adm-1', email: 'a@example.test', fhirUser: 'Practitioner/pr-adm', memberships: [{ organizationId: 'org-1', role: 'admin' }], sessionId: 's1', via: 'bearer' },
  nurse: { kind: 'user', accountId: 'nur-1', email: 'n@example.test', fhirUser: 'Practitioner/pr-nur', memberships: [{ organizationId: 'org-1', role: 'nurse' }], sessionId: 's2', via: 'bearer' },
};

/**
 * The admin audit report and a patient's access log, through HTTP (issue #4, Audit): admins only,
 * filters, sort, keyset paging, CSV export (itself audited), and no caching.
 */
describe('audit report and access log', () => {
  let t: TestApp;
  let p1 = '';
  let p2 = '';
  const asUser: Record<string, AccessContext> = {};

  beforeAll(async () => {
    t = await createTestApp(
      {},
      {
        fhirAccess: (request) => {
          const name = String(request.headers['x-as'] ?? 'clin');
          return (asUser[name] ??= { actor: `User/${name}`, policy: permissivePolicy, audit: { agent: `User/${name}`, role: name === 'clin' ? 'clinician' : 'nurse' } });
        },
        extend: (app) => {
          app.addHook('preHandler', async (request) => {
            const name = request.headers['x-test-principal'];
            if (typeof name !== 'string') return;
            const known = PRINCIPALS[name];
            if (known) request.principal = known;
            else if (name.startsWith('Patient/')) {
              request.principal = { kind: 'user', accountId: `acc-${name.slice(8)}`, email: 'p@example.test', fhirUser: name, memberships: [{ organizationId: 'org-1', role: 'patient' }], sessionId: 's3', via: 'bearer' };
            }
          });
        },
      },
    );
    const post = async (as: string, body: unknown): Promise<string> => {
      const r = await t.app.inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { 'content-type': 'application/fhir+json', 'x-as': as }, payload: JSON.stringify(body) });
      return r.json<{ id: string }>().id;
    };
    p1 = await post('clin', patient('Alpha', 'Ann'));
    p2 = await post('nurse', patient('Beta', 'Bob'));
    for (const [as, id] of [['clin', p1], ['nurse', p1], ['nurse', p2], ['clin', 'missing']] as const) {
      await t.app.inject({ method: 'GET', url: `/fhir/R4/Patient/${id}`, headers: { 'x-as': as } });
    }
  });
  afterAll(async () => t.close());

  const get = (url: string, principal?: string) => t.app.inject({ method: 'GET', url, headers: principal ? { 'x-test-principal': principal } : {} });

  it('is for admins only: 401 anonymous, 404 for other staff', async () => {
    expect((await get('/api/admin/audit')).statusCode).toBe(401);
    const nurse = await get('/api/admin/audit', 'nurse');
    expect(nurse.statusCode).toBe(404);
    expect(nurse.headers['cache-control']).toBe('no-store');
    const ok = await get('/api/admin/audit', 'admin');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
  });

  it('filters by patient, agent, action, outcome and kind', async () => {
    const byPatient = (await get(`/api/admin/audit?patient=Patient/${p1}`, 'admin')).json<TAuditReportPage>();
    expect(byPatient.items.map((i) => `${i.agent ?? ''}:${i.kind}`).sort()).toEqual(['User/clin:create', 'User/clin:read', 'User/nurse:read']);
    const byAgent = (await get('/api/admin/audit?agent=User/nurse', 'admin')).json<TAuditReportPage>();
    expect(byAgent.items.every((i) => i.agent === 'User/nurse')).toBe(true);
    expect(byAgent.items).toHaveLength(3);
    const creates = (await get('/api/admin/audit?action=C', 'admin')).json<TAuditReportPage>();
    expect(creates.items.map((i) => i.kind)).toEqual(['create', 'create']);
    const failed = (await get('/api/admin/audit?outcome=4', 'admin')).json<TAuditReportPage>();
    expect(failed.items.map((i) => ({ kind: i.kind, agent: i.agent }))).toEqual([{ kind: 'read', agent: 'User/clin' }]);
    const reads = (await get('/api/admin/audit?kind=read&from=2000-01-01&to=2999-12-31', 'admin')).json<TAuditReportPage>();
    expect(reads.items).toHaveLength(4);
    const none = (await get('/api/admin/audit?to=2000-01-01', 'admin')).json<TAuditReportPage>();
    expect(none.items).toEqual([]);
    expect(byPatient.items[0]?.event).toMatchObject({ resourceType: 'AuditEvent' });
  });

  it('refuses a malformed filter with 400 naming it', async () => {
    const r = await get('/api/admin/audit?patient=Bob', 'admin');
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('patient');
    expect((await get('/api/admin/audit?sort=content', 'admin')).statusCode).toBe(400);
    expect((await get('/api/admin/audit?cursor=garbage', 'admin')).statusCode).toBe(400);
  });

  it('sorts by each column both ways and pages by keyset without gaps or repeats', async () => {
    const all = (await get('/api/admin/audit?sort=seq&order=asc&limit=500', 'admin')).json<TAuditReportPage>().items;
    for (const sort of ['recorded', 'agent', 'action', 'kind', 'outcome', 'organization', 'seq'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: number[] = [];
        let url = `/api/admin/audit?sort=${sort}&order=${order}&limit=2`;
        for (let i = 0; i < 50; i++) {
          const page = (await get(url, 'admin')).json<TAuditReportPage>();
          seen.push(...page.items.map((x) => x.seq));
          if (!page.next) break;
          url = `/api/admin/audit?sort=${sort}&order=${order}&limit=2&cursor=${page.next}`;
        }
        expect([...seen].sort((a, b) => a - b), `${sort} ${order}`).toEqual(all.map((x) => x.seq));
        const key = (seq: number): string => {
          const item = all.find((x) => x.seq === seq);
          const v = item ? (sort === 'recorded' ? item.recorded : sort === 'seq' || sort === 'outcome' ? item[sort] : (item[sort] ?? '')) : '';
          return typeof v === 'number' ? String(v).padStart(12, '0') : v;
        };
        const keys = seen.map(key);
        const sorted = [...keys].sort();
        expect(keys, `${sort} ${order}`).toEqual(order === 'asc' ? sorted : sorted.reverse());
      }
    }
  });

  it('exports CSV with a header row and records the export as a security event', async () => {
    const r = await get(`/api/admin/audit?format=csv&patient=Patient/${p1}&sort=seq&order=asc`, 'admin');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['cache-control']).toBe('no-store');
    const lines = r.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,id,recorded,action,kind,outcome,agent,patients,organization');
    expect(lines.slice(1).map((l) => l.split(',').slice(3, 7).join(','))).toEqual(['C,create,0,User/clin', 'R,read,0,User/clin', 'R,read,0,User/nurse']);
    const exports = (await get('/api/admin/audit?kind=audit-export', 'admin')).json<TAuditReportPage>();
    expect(exports.items.map((i) => ({ agent: i.agent, action: i.action }))).toEqual([{ agent: 'User/adm-1', action: 'R' }]);
  });

  it("shows a patient who accessed their record, newest first, paged, and nobody else's", async () => {
    const first = await get('/api/me/access-log?limit=2', `Patient/${p1}`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const page = first.json<TAccessLogPage>();
    expect(page.items).toHaveLength(2);
    expect(page.next).toBeDefined();
    const rest = (await get(`/api/me/access-log?limit=2&cursor=${page.next ?? ''}`, `Patient/${p1}`)).json<TAccessLogPage>();
    const all = [...page.items, ...rest.items];
    expect(all.map((e) => `${e.agent ?? ''}:${e.role ?? ''}:${e.kind}`)).toEqual(['User/nurse:nurse:read', 'User/clin:clinician:read', 'User/clin:clinician:create']);
    expect(all.map((e) => e.recorded)).toEqual([...all.map((e) => e.recorded)].sort().reverse());
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(['action', 'agent', 'kind', 'outcome', 'recorded', 'role']);
    expect((await get('/api/me/access-log', 'nurse')).statusCode).toBe(404);
    expect((await get('/api/me/access-log')).statusCode).toBe(401);
  });

  it('verifies through the local admin route with the token only', async () => {
    const t2 = await createTestApp({}, { localAdminToken: 'secret-token' });
    try {
      await t2.app.platform.audit.security({ type: 'login', outcome: 'success', actor: 'User/x' });
      const denied = await t2.app.inject({ method: 'POST', url: '/admin/local/audit/verify', remoteAddress: '127.0.0.1' });
      expect(denied.statusCode).toBe(404);
      const r = await t2.app.inject({ method: 'POST', url: '/admin/local/audit/verify', remoteAddress: '127.0.0.1', headers: { authorization: 'Bearer secret-token' } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ ok: true, checked: 1, unsealed: 0 });
      expect((await new AuditTrail(t2.app.platform.db).verify()).ok).toBe(true);
    } finally {
      await t2.close();
    }
  });
});
