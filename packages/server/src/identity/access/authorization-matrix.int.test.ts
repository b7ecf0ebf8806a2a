import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld, patientResource, tagged, TEST_ID, VITALS, type Actor } from '../../test-support/access-world.js';

/**
 * The generated authorization matrix (issue #4): every role × every FHIR interaction × own patient /
 * other patient of the same clinic / patient of another clinic. The expected outcome of each cell is
 * derived mechanically from the RIGHTS table below (r read, c create, u update, d delete) — the
 * README's rule table — never hand-picked per interaction.
 */
type Target = 'own' | 'other' | 'other-org';
type Kind = 'Patient' | 'Observation' | 'Appointment';
type Rights = string;

const TARGET_PATIENT: Record<Target, string> = { own: 'pa', other: 'pb', 'other-org': 'pc' };
const ROLES: readonly Actor[] = ['patient', 'caregiver', 'clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin'];

//                                 Patient              Observation            Appointment
//                                 own    other  o-org  own    other o-org     own    other  o-org
const RIGHTS: Record<Actor, Record<Kind, [Rights, Rights, Rights]>> = {
  patient: /*          */ { Patient: ['ru', '', ''], Observation: ['rc', '', ''], Appointment: ['r', '', ''] },
  patientB: /*         */ { Patient: ['', 'ru', ''], Observation: ['', 'rc', ''], Appointment: ['', 'r', ''] },
  caregiver: /*        */ { Patient: ['r', '', ''], Observation: ['rc', '', ''], Appointment: ['r', '', ''] },
  clinician: /*        */ { Patient: ['ru', '', ''], Observation: ['rcud', '', ''], Appointment: ['rcud', '', ''] },
  nurse: /*            */ { Patient: ['r', '', ''], Observation: ['rcu', '', ''], Appointment: ['rcu', '', ''] },
  specialist: /*       */ { Patient: ['ru', '', ''], Observation: ['rcu', '', ''], Appointment: ['rcu', '', ''] },
  telepresenter: /*    */ { Patient: ['r', '', ''], Observation: ['c', '', ''], Appointment: ['r', '', ''] },
  // Front desk: demographics and scheduling of the clinic (creating a Patient does not depend on
  // the target; an Appointment naming another clinic's patient id belongs to the front desk's clinic).
  'front-desk': /*     */ { Patient: ['rcu', 'rcu', 'c'], Observation: ['', '', ''], Appointment: ['rcud', 'rcud', 'c'] },
  admin: /*            */ { Patient: ['r', 'r', ''], Observation: ['', '', ''], Appointment: ['', '', ''] },
  'clinician-org2': /* */ { Patient: ['', '', 'ru'], Observation: ['', '', 'rcud'], Appointment: ['', '', 'rcud'] },
};

const TARGETS: readonly Target[] = ['own', 'other', 'other-org'];
const can = (actor: Actor, kind: Kind, target: Target, right: 'r' | 'c' | 'u' | 'd'): boolean => RIGHTS[actor][kind][TARGETS.indexOf(target)]?.includes(right) ?? false;

/** How each kind points at its patient, for _include/_revinclude/chain/_has. */
const PATIENT_PARAM: Record<Exclude<Kind, 'Patient'>, string> = { Observation: 'subject', Appointment: 'actor' };

function body(kind: Exclude<Kind, 'Patient'>, patient: string, id: string | undefined, identifier: string): Record<string, unknown> {
  const base = { ...(id ? { id } : {}), identifier: [{ system: TEST_ID, value: identifier }] };
  if (kind === 'Observation') {
    return { resourceType: 'Observation', ...base, status: 'final', category: [VITALS], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: `Patient/${patient}` }, performer: [{ reference: 'Practitioner/dr-1' }], valueQuantity: { value: 72, unit: '/min' } };
  }
  return { resourceType: 'Appointment', ...base, status: 'booked', participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }] };
}

interface Bundle {
  total?: number;
  entry?: { resource?: { resourceType: string; id: string }; search?: { mode: string }; response?: { status: string } }[];
}
const refsIn = (b: Bundle, mode?: string): string[] => (b.entry ?? []).filter((e) => !mode || e.search?.mode === mode).map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);

describe('authorization matrix: role × interaction × own / other / other-clinic patient', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    // The caregiver's grant, made by the patient through the API.
    const g = await w.call('patient', 'POST', '/api/access/caregiver-grants', { patient: 'Patient/pa', caregiver: 'RelatedPerson/rp-a', scope: 'read-write' });
    expect(g.statusCode, g.body).toBe(201);
  }, 120_000);
  afterAll(async () => w.close());

  const cells = [...ROLES, 'patientB' as const, 'clinician-org2' as const].flatMap((actor) => (['Patient', 'Observation', 'Appointment'] as const).flatMap((kind) => TARGETS.map((target) => ({ actor, kind, target }))));

  it.each(cells)('$actor × $kind × $target', async ({ actor, kind, target }) => {
    const failures: string[] = [];
    const check = (what: string, ok: boolean, detail: string): void => {
      if (!ok) failures.push(`${what}: ${detail.slice(0, 200)}`);
    };
    const pid = TARGET_PATIENT[target];
    const readPatient = can(actor, 'Patient', target, 'r');
    const r = can(actor, kind, target, 'r');
    const c = can(actor, kind, target, 'c');
    const u = can(actor, kind, target, 'u');
    const d = can(actor, kind, target, 'd');
    const tag = randomUUID().slice(0, 8);

    // A fresh resource of this kind about the target (for Patient: the target itself).
    let type: string = kind;
    let id = pid;
    let fresh: Record<string, unknown>;
    if (kind === 'Patient') {
      fresh = patientResource(pid);
      await w.put(fresh);
    } else {
      id = `${kind.toLowerCase()}-${tag}`;
      fresh = tagged(target === 'other-org' ? 'org-2' : 'org-1', body(kind, pid, id, `id-${tag}`));
      await w.put(fresh);
      type = kind;
    }
    const since = new Date(Date.now() - 2000).toISOString();
    const url = `/fhir/R4/${type}/${id}`;
    const status = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, b?: unknown, h: Record<string, string> = {}): Promise<{ code: number; body: string }> => {
      const res = await w.call(actor, method, path, b, h);
      return { code: res.statusCode, body: res.body };
    };
    const bundle = async (path: string): Promise<Bundle> => {
      const res = await w.call(actor, 'GET', path);
      check(`GET ${path} answers 200`, res.statusCode === 200, res.body);
      return res.json<Bundle>();
    };

    // Reads.
    const read = await status('GET', url);
    check('read', read.code === (r ? 200 : 404), `${read.code} ${read.body}`);
    const vread = await status('GET', `${url}/_history/1`);
    check('vread', vread.code === (r ? 200 : 404), `${vread.code}`);
    const hist = await status('GET', `${url}/_history`);
    check('history', hist.code === (r ? 200 : 404), `${hist.code}`);
    const typeHistory = await bundle(`/fhir/R4/${type}/_history?_since=${encodeURIComponent(since)}&_count=1000`);
    check('type history', refsIn(typeHistory).includes(`${type}/${id}`) === r, JSON.stringify(refsIn(typeHistory)));
    const search = await bundle(`/fhir/R4/${type}?_id=${id}`);
    check('search', refsIn(search, 'match').includes(`${type}/${id}`) === r, JSON.stringify(refsIn(search)));
    const count = await bundle(`/fhir/R4/${type}?_id=${id}&_summary=count`);
    check('_summary=count', count.total === (r ? 1 : 0), String(count.total));
    const total = await bundle(`/fhir/R4/${type}?_id=${id}&_total=accurate&_elements=id`);
    check('_total', total.total === (r ? 1 : 0), String(total.total));
    const everything = await w.call(actor, 'GET', `/fhir/R4/Patient/${pid}/$everything?_since=${encodeURIComponent(since)}`);
    check('$everything status', everything.statusCode === (readPatient ? 200 : 404), `${everything.statusCode}`);
    if (kind !== 'Patient' && everything.statusCode === 200) check('$everything content', refsIn(everything.json<Bundle>()).includes(`${type}/${id}`) === r, everything.body);
    const batch = await w.call(actor, 'POST', '/fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `${type}/${id}` } }] });
    check('batch read', batch.json<Bundle>().entry?.[0]?.response?.status === (r ? '200' : '404'), batch.body);

    if (kind !== 'Patient') {
      const param = PATIENT_PARAM[kind];
      const inc = await bundle(`/fhir/R4/${type}?_id=${id}&_include=${type}:${param}`);
      check('_include', refsIn(inc, 'include').includes(`Patient/${pid}`) === (r && readPatient), JSON.stringify(refsIn(inc)));
      const rev = await bundle(`/fhir/R4/Patient?_id=${pid}&_revinclude=${type}:${param}`);
      check('_revinclude', refsIn(rev, 'include').includes(`${type}/${id}`) === (r && readPatient), JSON.stringify(refsIn(rev)));
      const chain = await bundle(`/fhir/R4/${type}?_id=${id}&${param}:Patient.identifier=${encodeURIComponent(`urn:careline:mrn|${pid}`)}`);
      check('chain', refsIn(chain, 'match').includes(`${type}/${id}`) === (r && readPatient), JSON.stringify(refsIn(chain)));
      const has = await bundle(`/fhir/R4/Patient?_id=${pid}&_has:${type}:${param}:identifier=${encodeURIComponent(`${TEST_ID}|id-${tag}`)}`);
      check('_has', refsIn(has, 'match').includes(`Patient/${pid}`) === (r && readPatient), JSON.stringify(refsIn(has)));
    }

    // Writes. Update and patch: 404 when hidden, 403 when visible but not writable.
    const denied = r ? 403 : 404;
    const changed = kind === 'Patient' ? { ...fresh, birthDate: '1970-01-02' } : kind === 'Observation' ? { ...fresh, status: 'amended' } : { ...fresh, status: 'arrived' };
    const put = await status('PUT', url, changed);
    check('update', put.code === (u ? 200 : denied), `${put.code} ${put.body}`);
    await w.put(fresh);
    const patchOps = [{ op: 'replace', path: kind === 'Patient' ? '/birthDate' : '/status', value: kind === 'Patient' ? '1970-01-03' : kind === 'Observation' ? 'amended' : 'arrived' }];
    const patch = await status('PATCH', url, patchOps);
    check('patch', patch.code === (u ? 200 : denied), `${patch.code} ${patch.body}`);
    await w.put(fresh);
    const tx = await w.call(actor, 'POST', '/fhir/R4', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: changed, request: { method: 'PUT', url: `${type}/${id}` } }] });
    check('transaction update', tx.statusCode === (u ? 200 : denied), `${tx.statusCode} ${tx.body}`);
    await w.put(fresh);
    const condUpdate = await status('PUT', `/fhir/R4/${type}?_id=${id}`, { ...changed, id });
    // Visible: it updates; hidden: it finds no match and would create at the body's id, which exists: 404.
    check('conditional update', condUpdate.code === (r ? (u ? 200 : 403) : 404), `${condUpdate.code} ${condUpdate.body}`);
    await w.put(fresh);

    // Create (a new resource about the target) and conditional create on the existing one.
    const newBody = kind === 'Patient' ? { resourceType: 'Patient', identifier: [{ system: TEST_ID, value: `new-${tag}` }], name: [{ family: 'New' }] } : body(kind, pid, undefined, `new-${tag}`);
    const create = await status('POST', `/fhir/R4/${type}`, newBody);
    check('create', create.code === (c ? 201 : 403), `${create.code} ${create.body}`);
    const condCreate = await status('POST', `/fhir/R4/${type}`, newBody, { 'if-none-exist': `_id=${id}` });
    check('conditional create', condCreate.code === (r ? 200 : c ? 201 : 403), `${condCreate.code} ${condCreate.body}`);
    const txCreate = await w.call(actor, 'POST', '/fhir/R4', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: newBody, request: { method: 'POST', url: type } }] });
    check('transaction create', txCreate.statusCode === (c ? 200 : 403), `${txCreate.statusCode} ${txCreate.body}`);

    // Delete and conditional delete: 204 for what is hidden (nothing there), 403 when visible but not deletable.
    const del = await status('DELETE', url);
    check('delete status', del.code === (d || !r ? 204 : 403), `${del.code} ${del.body}`);
    check('delete effect', (await w.stored(type, id) === undefined) === d, 'stored state');
    await w.put(fresh);
    const condDel = await status('DELETE', `/fhir/R4/${type}?_id=${id}`);
    check('conditional delete status', condDel.code === (d || !r ? 204 : 403), `${condDel.code}`);
    check('conditional delete effect', (await w.stored(type, id) === undefined) === d, 'stored state');
    await w.put(fresh);

    expect(failures).toEqual([]);
  });
});

describe('clinic-wide resources: staff read their clinic’s, admins administer them', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
  }, 120_000);
  afterAll(async () => w.close());

  // Practitioner dr-x (org-1, on no care team) and dr-y (org-2).
  const EXPECTED: Record<Actor, [Rights, Rights]> = {
    patient: ['', ''], patientB: ['', ''], caregiver: ['', ''],
    clinician: ['r', ''], nurse: ['r', ''], specialist: ['r', ''], telepresenter: ['r', ''], 'front-desk': ['r', ''],
    admin: ['rud', ''], 'clinician-org2': ['', 'r'],
  };
  const cells = (Object.keys(EXPECTED) as Actor[]).flatMap((actor) => (['dr-x', 'dr-y'] as const).map((prac) => ({ actor, prac })));

  it.each(cells)('$actor × Practitioner/$prac', async ({ actor, prac }) => {
    const rights = EXPECTED[actor][prac === 'dr-x' ? 0 : 1];
    const fresh = tagged(prac === 'dr-x' ? 'org-1' : 'org-2', { resourceType: 'Practitioner', id: prac, name: [{ family: `Staff ${prac}` }] });
    await w.put(fresh);
    const url = `/fhir/R4/Practitioner/${prac}`;
    expect((await w.call(actor, 'GET', url)).statusCode).toBe(rights.includes('r') ? 200 : 404);
    const search = (await w.call(actor, 'GET', `/fhir/R4/Practitioner?_id=${prac}&_summary=count`)).json<Bundle>();
    expect(search.total).toBe(rights.includes('r') ? 1 : 0);
    const put = await w.call(actor, 'PUT', url, { ...fresh, active: true });
    expect(put.statusCode, put.body).toBe(rights.includes('u') ? 200 : rights.includes('r') ? 403 : 404);
    const del = await w.call(actor, 'DELETE', url);
    expect(del.statusCode).toBe(rights.includes('d') || !rights.includes('r') ? 204 : 403);
    expect(await w.stored('Practitioner', prac) === undefined).toBe(rights.includes('d'));
  });
});
