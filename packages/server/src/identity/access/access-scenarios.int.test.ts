import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld, PRINCIPALS, tagged, VITALS } from '../../test-support/access-world.js';
import { ORGANIZATION_TAG_SYSTEM } from '../../fhir/access/access-policy.js';

/**
 * Issue #4's attack and flow tests, through the HTTP API as a caller would send them: patient A
 * against patient B's data, server-owned fields, caregiver grants and break-the-glass.
 */
interface Bundle {
  total?: number;
  entry?: { resource?: { resourceType: string; id: string }; response?: { status: string } }[];
}
interface Stored {
  meta?: { tag?: { system: string; code: string }[]; security?: unknown[] };
  performer?: { reference: string }[];
  sender?: { reference: string };
  author?: { reference: string };
  status?: string;
}
const ids = (b: Bundle): string[] => (b.entry ?? []).map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);
const orgOf = (r: Stored | undefined): string[] => (r?.meta?.tag ?? []).filter((t) => t.system === ORGANIZATION_TAG_SYSTEM).map((t) => t.code);
const obs = (id: string, patient: string, performer = 'Practitioner/dr-1'): Record<string, unknown> => ({
  resourceType: 'Observation', id, status: 'final', category: [VITALS], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patient}` }, performer: [{ reference: performer }], valueQuantity: { value: 70, unit: '/min' },
});

describe('patients A and B', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await w.put(tagged('org-1', obs('obs-b', 'pb')));
    await w.put(tagged('org-1', { ...obs('obs-a', 'pa'), focus: [{ reference: 'Patient/pb' }] }));
  }, 120_000);
  afterAll(async () => w.close());

  it('A’s token against B’s data: 404 or empty, by every interaction', async () => {
    const a = 'patient' as const;
    for (const url of ['/fhir/R4/Patient/pb', '/fhir/R4/Observation/obs-b', '/fhir/R4/Patient/pb/_history/1', '/fhir/R4/Patient/pb/_history', '/fhir/R4/Patient/pb/$everything']) {
      const r = await w.call(a, 'GET', url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('Berg');
    }
    const empty = async (url: string): Promise<void> => {
      const r = await w.call(a, 'GET', url);
      expect(r.statusCode, url).toBe(200);
      const found = ids(r.json<Bundle>());
      expect(found.filter((x) => x === 'Patient/pb' || x === 'Observation/obs-b'), url).toEqual([]);
      expect(r.body, url).not.toContain('Berg');
    };
    await empty('/fhir/R4/Patient?name=berg');
    await empty('/fhir/R4/Observation?subject=Patient/pb');
    await empty('/fhir/R4/Observation?_include=Observation:focus&_include=Observation:subject');
    await empty('/fhir/R4/Patient?_revinclude=Observation:subject');
    await empty('/fhir/R4/Observation?subject:Patient.name=berg');
    await empty('/fhir/R4/Observation?focus:Patient.name=berg');
    await empty('/fhir/R4/Patient?_has:Observation:subject:_id=obs-b');
    await empty('/fhir/R4/Observation/_history');
    expect((await w.call(a, 'GET', '/fhir/R4/Observation?subject=Patient/pb&_summary=count')).json<Bundle>().total).toBe(0);
    expect((await w.call(a, 'GET', '/fhir/R4/_history')).json<Bundle>().entry ?? []).toEqual([]);
    const batch = await w.call(a, 'POST', '/fhir/R4', {
      resourceType: 'Bundle', type: 'batch',
      entry: [{ request: { method: 'GET', url: 'Patient/pb' } }, { request: { method: 'GET', url: 'Observation?subject=Patient/pb' } }],
    });
    const entries = batch.json<Bundle>().entry ?? [];
    expect(entries[0]?.response?.status).toBe('404');
    expect(batch.body).not.toContain('Berg');
    expect(batch.body).not.toContain('"id":"obs-b"');
    // The control: A does see their own.
    expect(ids((await w.call(a, 'GET', '/fhir/R4/Observation')).json<Bundle>())).toEqual(['Observation/obs-a']);
  });

  it('records A’s refused read as a failure in the audit trail', async () => {
    await w.call('patient', 'GET', '/fhir/R4/Patient/pb');
    const { rows } = await w.t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event WHERE agent = $1 AND outcome <> 0', [`User/${PRINCIPALS.patient.kind === 'user' ? PRINCIPALS.patient.accountId : ''}`]);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('A writes an Observation with subject B: refused, nothing stored', async () => {
    const r = await w.call('patient', 'POST', '/fhir/R4/Observation', { ...obs('x', 'pb'), id: undefined });
    expect(r.statusCode, r.body).toBe(403);
    const put = await w.call('patient', 'PUT', '/fhir/R4/Observation/planted', obs('planted', 'pb'));
    expect(put.statusCode).toBe(404);
    expect(await w.stored('Observation', 'planted')).toBeUndefined();
    // Nor may A pull B into a message (recipient puts it in B's compartment).
    const msg = await w.call('patient', 'POST', '/fhir/R4/Communication', { resourceType: 'Communication', status: 'completed', subject: { reference: 'Patient/pa' }, recipient: [{ reference: 'Patient/pb' }] });
    expect(msg.statusCode).toBe(403);
    // Nor link their Patient to B's.
    const link = await w.call('patient', 'PUT', '/fhir/R4/Patient/pa', { ...(await w.stored('Patient', 'pa')), link: [{ other: { reference: 'Patient/pb' }, type: 'seealso' }] });
    expect(link.statusCode).toBe(403);
  });

  it('A sets meta.security and another clinic on their own Patient: ignored', async () => {
    const current = await w.stored('Patient', 'pa');
    const r = await w.call('patient', 'PUT', '/fhir/R4/Patient/pa', {
      ...current, gender: 'female',
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U' }], tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: 'org-2' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    const stored = (await w.stored('Patient', 'pa')) as Stored & { gender?: string };
    expect(stored.gender).toBe('female');
    expect(stored.meta?.security).toBeUndefined();
    expect(orgOf(stored)).toEqual(['org-1']);
  });

  it('server-owned fields: author and clinic are set by the server, whatever the client sends', async () => {
    const r = await w.call('patient', 'POST', '/fhir/R4/Observation', {
      ...obs('ignored', 'pa', 'Practitioner/dr-1'), id: undefined, meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: 'org-2' }], security: [{ system: 'x', code: 'y' }] },
    });
    expect(r.statusCode, r.body).toBe(201);
    const created = r.json<Stored & { id: string }>();
    expect(created.performer).toEqual([{ reference: 'Patient/pa' }]);
    expect(orgOf(created)).toEqual(['org-1']);
    expect(created.meta?.security).toBeUndefined();
    // A may amend what they reported, not what the clinician recorded.
    const mine = await w.call('patient', 'PUT', `/fhir/R4/Observation/${created.id}`, { ...created, status: 'amended' });
    expect(mine.statusCode, mine.body).toBe(200);
    const theirs = await w.call('patient', 'PUT', '/fhir/R4/Observation/obs-a', { ...(await w.stored('Observation', 'obs-a')), status: 'amended' });
    expect(theirs.statusCode).toBe(403);
    // Messages: the sender is the patient.
    const msg = await w.call('patient', 'POST', '/fhir/R4/Communication', { resourceType: 'Communication', status: 'completed', sender: { reference: 'Practitioner/dr-1' }, recipient: [{ reference: 'Practitioner/dr-1' }], payload: [{ contentString: 'refill please' }] });
    expect(msg.statusCode, msg.body).toBe(201);
    expect(msg.json<Stored>().sender).toEqual({ reference: 'Patient/pa' });
    // A clinician's update keeps the stored clinic and security labels.
    await w.put({ ...tagged('org-1', obs('obs-labelled', 'pa')), meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: 'org-1' }], security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } });
    const moved = await w.call('clinician', 'PUT', '/fhir/R4/Observation/obs-labelled', { ...obs('obs-labelled', 'pa'), meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: 'org-2' }] } });
    expect(moved.statusCode, moved.body).toBe(200);
    const kept = (await w.stored('Observation', 'obs-labelled')) as Stored;
    expect(orgOf(kept)).toEqual(['org-1']);
    expect(kept.meta?.security).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }]);
  });

  it('a patient reads their care team’s practitioners and their clinic, not other staff', async () => {
    expect((await w.call('patient', 'GET', '/fhir/R4/Practitioner/dr-1')).statusCode).toBe(200);
    expect((await w.call('patient', 'GET', '/fhir/R4/Organization/org-1')).statusCode).toBe(200);
    expect((await w.call('patient', 'GET', '/fhir/R4/Practitioner/dr-x')).statusCode).toBe(404);
    expect((await w.call('patient', 'GET', '/fhir/R4/Organization/org-2')).statusCode).toBe(404);
    expect((await w.call('patientB', 'GET', '/fhir/R4/Practitioner/dr-1')).statusCode).toBe(404);
  });

  it('anonymous callers are asked to sign in and see nothing (RFC 6750 §3)', async () => {
    for (const [method, url, body] of [['GET', '/fhir/R4/Patient/pa'], ['GET', '/fhir/R4/Patient?_summary=count'], ['POST', '/fhir/R4/Patient', { resourceType: 'Patient' }]] as const) {
      const r = await w.call(undefined, method, url, body);
      expect(r.statusCode, url).toBe(401);
      expect(r.headers['www-authenticate'], url).toMatch(/^Bearer/);
      expect(r.body, url).not.toContain('"total"');
    }
    // The CapabilityStatement stays public: clients discover the server before signing in.
    expect((await w.call(undefined, 'GET', '/fhir/R4/metadata')).statusCode).toBe(200);
  });
});

describe('caregiver grants', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await w.put(tagged('org-1', obs('obs-pa', 'pa')));
    await w.put(tagged('org-1', obs('obs-pb', 'pb')));
  }, 120_000);
  afterAll(async () => w.close());

  const grant = async (who: 'patient' | 'patientB' | 'admin' | 'caregiver', patient: string, scope: string): Promise<{ statusCode: number; id: string }> => {
    const r = await w.call(who, 'POST', '/api/access/caregiver-grants', { patient, caregiver: 'RelatedPerson/rp-a', scope });
    return { statusCode: r.statusCode, id: r.statusCode === 201 ? r.json<{ id: string }>().id : '' };
  };

  it('grant, scope, revoke: effective at once', async () => {
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pa')).statusCode).toBe(404);
    // Nobody but the patient (or the clinic's admin) may grant.
    expect((await grant('caregiver', 'Patient/pa', 'read')).statusCode).toBe(404);
    expect((await grant('patientB', 'Patient/pa', 'read')).statusCode).toBe(404);
    const g = await grant('patient', 'Patient/pa', 'read');
    expect(g.statusCode).toBe(201);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pa')).statusCode).toBe(200);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(404);
    // Read-only: no messages on the patient's behalf.
    const msg = { resourceType: 'Communication', status: 'completed', subject: { reference: 'Patient/pa' }, recipient: [{ reference: 'Practitioner/dr-1' }] };
    expect((await w.call('caregiver', 'POST', '/fhir/R4/Communication', msg)).statusCode).toBe(403);
    const list = await w.call('patient', 'GET', '/api/access/caregiver-grants');
    expect(list.json<{ grants: { id: string; active: boolean }[] }>().grants).toEqual([expect.objectContaining({ id: g.id, active: true })]);
    expect((await w.call('patientB', 'GET', '/api/access/caregiver-grants?patient=Patient/pa')).statusCode).toBe(404);
    expect((await w.call('patientB', 'DELETE', `/api/access/caregiver-grants/${g.id}`)).statusCode).toBe(404);
    expect((await w.call('patient', 'DELETE', `/api/access/caregiver-grants/${g.id}`)).statusCode).toBe(204);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pa')).statusCode).toBe(404);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation?_summary=count')).json<Bundle>().total).toBe(0);

    // read-write: messages as the caregiver, about the patient.
    const rw = await grant('patient', 'Patient/pa', 'read-write');
    const sent = await w.call('caregiver', 'POST', '/fhir/R4/Communication', { ...msg, sender: { reference: 'Patient/pa' } });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json<Stored>().sender).toEqual({ reference: 'RelatedPerson/rp-a' });
    // Expired grants stop working at once.
    await w.t.tdb.db.query("UPDATE access_caregiver_grant SET expires_at = now() - interval '1 second' WHERE id = $1", [rw.id]);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pa')).statusCode).toBe(404);
  });

  it('a clinic admin grants and revokes for a patient of the clinic (minors); the caregiver may step down', async () => {
    const g = await grant('admin', 'Patient/pb', 'read');
    expect(g.statusCode).toBe(201);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(200);
    expect((await w.call('admin', 'GET', '/api/access/caregiver-grants?patient=Patient/pb')).statusCode).toBe(200);
    expect((await w.call('caregiver', 'DELETE', `/api/access/caregiver-grants/${g.id}`)).statusCode).toBe(204);
    expect((await w.call('caregiver', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(404);
    // Not for another clinic's patient.
    expect((await grant('admin', 'Patient/pc', 'read')).statusCode).toBe(404);
  });
});

describe('break-the-glass', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await w.put(tagged('org-1', obs('obs-pb', 'pb')));
  }, 120_000);
  afterAll(async () => w.close());

  it('opens a patient outside the care team for a stated reason, notifies the privacy officer, audits, and expires', async () => {
    expect((await w.call('clinician', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(404);
    expect((await w.call(undefined, 'POST', '/api/access/break-glass', { patient: 'Patient/pb', reason: 'Unconscious in the waiting room' })).statusCode).toBe(401);
    expect((await w.call('clinician', 'POST', '/api/access/break-glass', { patient: 'Patient/pb', reason: 'urgent' })).statusCode).toBe(400);
    expect((await w.call('clinician', 'POST', '/api/access/break-glass', { patient: 'Patient/pc', reason: 'Unconscious in the waiting room' })).statusCode).toBe(404);
    expect((await w.call('front-desk', 'POST', '/api/access/break-glass', { patient: 'Patient/pb', reason: 'Unconscious in the waiting room' })).statusCode).toBe(404);
    const r = await w.call('clinician', 'POST', '/api/access/break-glass', { patient: 'Patient/pb', reason: 'Unconscious in the waiting room' });
    expect(r.statusCode, r.body).toBe(201);
    const opened = r.json<{ expiresAt: string; notification: string }>();
    expect(Date.parse(opened.expiresAt) - Date.now()).toBeGreaterThan(3.9 * 3_600_000);
    expect((await w.call('clinician', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(200);
    expect((await w.call('clinician', 'GET', '/fhir/R4/Observation?subject=Patient/pb&_summary=count')).json<Bundle>().total).toBe(1);
    // Only the one who broke the glass.
    expect((await w.call('nurse', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(404);

    const [type, id] = opened.notification.split('/');
    const notice = (await w.stored(type ?? '', id ?? '')) as { recipient?: { reference: string }[]; about?: { reference: string }[]; subject?: unknown } | undefined;
    expect(notice?.recipient).toEqual([{ reference: 'Practitioner/privacy-1' }]);
    expect(notice?.about).toEqual([{ reference: 'Patient/pb' }]);
    expect(notice?.subject).toBeUndefined();
    // Clinic admins read the notice; the patient's compartment does not hold it.
    expect((await w.call('admin', 'GET', `/fhir/R4/${opened.notification}`)).statusCode).toBe(200);
    expect((await w.call('patientB', 'GET', `/fhir/R4/${opened.notification}`)).statusCode).toBe(404);
    const audit = await w.t.tdb.db.query<{ patients: string[] }>("SELECT patients FROM audit_event WHERE kind = 'break-the-glass' AND outcome = 0");
    expect(audit.rows.map((x) => x.patients)).toEqual([['Patient/pb']]);

    await w.t.tdb.db.query("UPDATE access_break_glass SET expires_at = now() - interval '1 second'");
    expect((await w.call('clinician', 'GET', '/fhir/R4/Observation/obs-pb')).statusCode).toBe(404);
  });
});
