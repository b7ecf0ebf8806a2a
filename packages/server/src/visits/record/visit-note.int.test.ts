import type { TNote } from '@careline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';
import { APPT, NOT_STARTED, SOAP, json, seedVisits } from '../../test-support/visit-record-world.js';

describe('visit note: autosave, sign, amendments', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await seedVisits(w);
  });
  afterAll(async () => w.close());
  const note = `/api/visits/${APPT}/note`;

  it('has no record before the patient is admitted', async () => {
    const res = await w.call('clinician', 'PUT', `/api/visits/${NOT_STARTED}/note`, { soap: SOAP, version: 0 });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('visit-not-started');
  });

  it('strangers learn nothing (404); staff who may read but not write get 403', async () => {
    for (const who of ['clinician-org2', 'patientB'] as const) {
      expect((await w.call(who, 'GET', note)).statusCode).toBe(404);
      expect((await w.call(who, 'PUT', note, { soap: SOAP, version: 0 })).statusCode).toBe(404);
    }
    expect((await w.call(undefined, 'GET', note)).statusCode).toBe(401);
    expect((await w.call('nurse', 'PUT', note, { soap: SOAP, version: 0 })).statusCode).toBe(403);
    expect((await w.call('telepresenter', 'PUT', note, { soap: SOAP, version: 0 })).statusCode).toBe(403);
    // The patient reads the after-visit summary, never the working note.
    expect((await w.call('patient', 'GET', note)).statusCode).toBe(404);
  });

  it('saves drafts under If-Match: the text reads back exactly, a stale save is refused', async () => {
    const empty = json<TNote>(await w.call('clinician', 'GET', note));
    expect(empty).toMatchObject({ status: 'draft', version: 0, canWrite: true, amendments: [] });

    const first = await w.call('clinician', 'PUT', note, { soap: SOAP, version: 0 });
    expect(first.statusCode).toBe(200);
    const v1 = json<TNote>(first);
    expect(v1).toMatchObject({ status: 'draft', version: 1, soap: SOAP });
    expect(first.headers.etag).toBe('W/"1"');

    const composition = await w.stored('Composition', String(v1.composition?.split('/')[1]));
    expect(composition).toMatchObject({
      status: 'preliminary', type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] }, subject: { reference: 'Patient/pa' },
      encounter: { reference: 'Encounter/enc-appt-1' }, author: [{ reference: 'Practitioner/dr-1' }],
    });
    expect((composition?.section as { code: { coding: { code: string }[] } }[]).map((s) => s.code.coding[0]?.code)).toEqual(['61150-9', '61149-1', '51848-0', '18776-5']);

    const edited = { ...SOAP, plan: 'Rest.' };
    const second = await w.call('specialist', 'PUT', note, { soap: edited }, { 'if-match': 'W/"1"' });
    expect(second.statusCode).toBe(200);
    expect(json<TNote>(second)).toMatchObject({ version: 2, soap: edited });

    const stale = await w.call('clinician', 'PUT', note, { soap: SOAP, version: 1 });
    expect(stale.statusCode).toBe(412);
    expect((await w.call('clinician', 'PUT', note, { soap: SOAP })).statusCode).toBe(412);
    expect((await w.call('clinician', 'PUT', note, { soap: SOAP }, { 'if-match': 'nonsense' })).statusCode).toBe(400);
    expect((await w.call('clinician', 'PUT', note, { soap: { ...SOAP, plan: 'a\u0000b' }, version: 2 })).statusCode).toBe(400);
    expect(json<TNote>(await w.call('clinician', 'GET', note)).soap).toEqual(edited);
  });

  it('amendments wait for the signature; signing locks; amendments append and leave the signed note byte-identical', async () => {
    expect((await w.call('clinician', 'POST', `${note}/amendments`, { text: 'Too early' })).statusCode).toBe(409);
    expect((await w.call('clinician', 'POST', `${note}/sign`, { version: 1 })).statusCode).toBe(412);

    const signed = await w.call('clinician', 'POST', `${note}/sign`, {});
    expect(signed.statusCode).toBe(200);
    const s = json<TNote>(signed);
    expect(s).toMatchObject({ status: 'signed', version: 3, signedBy: 'Dr. Ana One' });
    const id = String(s.composition?.split('/')[1]);
    const rawOf = async (): Promise<string> =>
      (await w.t.tdb.db.query<{ content: string }>('SELECT content FROM fhir_resource WHERE resource_type = $1 AND id = $2', ['Composition', id])).rows[0]?.content ?? '';
    const before = await rawOf();
    expect(JSON.parse(before)).toMatchObject({ status: 'final', attester: [{ mode: 'legal', party: { reference: 'Practitioner/dr-1' } }] });

    for (const attempt of [{ soap: SOAP, version: 3 }, { soap: SOAP, version: 2 }]) {
      const res = await w.call('clinician', 'PUT', note, attempt);
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('note-signed');
    }
    expect((await w.call('clinician', 'POST', `${note}/sign`, {})).statusCode).toBe(409);
    expect((await w.call('nurse', 'POST', `${note}/amendments`, { text: 'Nurse addendum' })).statusCode).toBe(403);

    const a1 = await w.call('clinician', 'POST', `${note}/amendments`, { text: 'Add: <allergy> to penicillin.' });
    expect(a1.statusCode).toBe(201);
    const a2 = await w.call('specialist', 'POST', `${note}/amendments`, { text: 'Second look: agree.' });
    const after = json<TNote>(a2);
    expect(after.amendments.map((a) => a.text)).toEqual(['Add: <allergy> to penicillin.', 'Second look: agree.']);
    expect(after.soap).toEqual({ ...SOAP, plan: 'Rest.' });
    // The lock holds on the FHIR API too (the access policy refuses changing or deleting a final Composition).
    const viaFhir = await w.call('clinician', 'PUT', `/fhir/R4/Composition/${id}`, { ...(JSON.parse(before) as object), title: 'Rewritten' }, { 'content-type': 'application/fhir+json' });
    expect(viaFhir.statusCode).toBe(403);
    const deleted = await w.call('clinician', 'DELETE', `/fhir/R4/Composition/${id}`);
    expect(deleted.statusCode).toBe(403);
    expect(await rawOf()).toBe(before);
    const amendment = await w.stored('Composition', String(after.amendments[0]?.id));
    expect(amendment).toMatchObject({ status: 'final', relatesTo: [{ code: 'appends', targetReference: { reference: `Composition/${id}` } }] });
  });
});
