import type { TDiagnosis, TPrescription, TVisitRecord } from '@careline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld } from '../../test-support/access-world.js';
import { APPT, SOAP, encounter, json, seedVisits } from '../../test-support/visit-record-world.js';

describe('visit record: diagnoses, prescriptions, billing facts', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await seedVisits(w);
  });
  afterAll(async () => w.close());
  const base = `/api/visits/${APPT}`;

  it('adds diagnoses from the SNOMED CT pick list or as text, and removes them without losing history', async () => {
    const picked = await w.call('clinician', 'POST', `${base}/diagnoses`, { snomed: '54150009' });
    expect(picked.statusCode).toBe(201);
    const d1 = json<TDiagnosis>(picked);
    expect(d1).toMatchObject({ code: { system: 'http://snomed.info/sct', code: '54150009' }, text: 'Upper respiratory infection' });
    const stored = await w.stored('Condition', d1.id);
    expect(stored).toMatchObject({
      category: [{ coding: [{ code: 'encounter-diagnosis' }] }], encounter: { reference: 'Encounter/enc-appt-1' }, subject: { reference: 'Patient/pa' },
    });
    const d2 = json<TDiagnosis>(await w.call('clinician', 'POST', `${base}/diagnoses`, { text: 'Mild dehydration' }));
    expect(d2.code).toBeUndefined();

    const unknown = await w.call('clinician', 'POST', `${base}/diagnoses`, { snomed: '123456789' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('snomed');
    expect((await w.call('clinician', 'POST', `${base}/diagnoses`, {})).statusCode).toBe(400);
    expect((await w.call('nurse', 'POST', `${base}/diagnoses`, { text: 'x' })).statusCode).toBe(403);
    expect((await w.call('clinician-org2', 'POST', `${base}/diagnoses`, { text: 'x' })).statusCode).toBe(404);

    expect((await w.call('clinician', 'DELETE', `${base}/diagnoses/${d2.id}`)).statusCode).toBe(204);
    const record = json<TVisitRecord>(await w.call('clinician', 'GET', `${base}/record`));
    expect(record.diagnoses.map((d) => d.id)).toEqual([d1.id]);
    expect(await w.stored('Condition', d2.id)).toMatchObject({ verificationStatus: { coding: [{ code: 'entered-in-error' }] } });
  });

  it('records prescriptions as MedicationRequests and prints them as PDF', async () => {
    const res = await w.call('clinician', 'POST', `${base}/prescriptions`, { rxnorm: '308182', dosage: '1 capsule 3 times a day for 7 days', quantity: { value: 21, unit: 'capsule' }, refills: 0 });
    expect(res.statusCode).toBe(201);
    const rx = json<TPrescription>(res);
    expect(rx).toMatchObject({ medication: { rxnorm: '308182', text: 'amoxicillin 500 MG Oral Capsule' }, refills: 0, prescriber: 'Dr. Ana One' });
    expect(await w.stored('MedicationRequest', rx.id)).toMatchObject({
      status: 'active', intent: 'order', requester: { reference: 'Practitioner/dr-1' }, encounter: { reference: 'Encounter/enc-appt-1' },
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '308182' }] },
      dispenseRequest: { quantity: { value: 21 }, numberOfRepeatsAllowed: 0 }, dosageInstruction: [{ text: '1 capsule 3 times a day for 7 days' }],
    });
    const free = json<TPrescription>(await w.call('clinician', 'POST', `${base}/prescriptions`, { medicationText: 'Saline nasal spray', dosage: '2 sprays as needed', quantity: { value: 1, unit: 'bottle' }, refills: 2 }));
    expect(free.medication).toEqual({ text: 'Saline nasal spray' });
    expect((await w.call('clinician', 'POST', `${base}/prescriptions`, { dosage: 'x', quantity: { value: 1, unit: 'x' }, refills: 0 })).statusCode).toBe(400);
    expect((await w.call('clinician', 'POST', `${base}/prescriptions`, { medicationText: 'x', dosage: 'x', quantity: { value: 1, unit: 'x' }, refills: 13 })).statusCode).toBe(400);

    for (const who of ['clinician', 'patient'] as const) {
      const pdf = await w.call(who, 'GET', `${base}/prescriptions/${rx.id}.pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    expect((await w.call('patientB', 'GET', `${base}/prescriptions/${rx.id}.pdf`)).statusCode).toBe(404);
    expect((await w.call('clinician', 'GET', `${base}/prescriptions/no-such.pdf`)).statusCode).toBe(404);

    expect((await w.call('clinician', 'DELETE', `${base}/prescriptions/${free.id}`)).statusCode).toBe(204);
    expect((await w.call('clinician', 'GET', `${base}/prescriptions/${free.id}.pdf`)).statusCode).toBe(404);
  });

  it('locks diagnoses and prescriptions once the note is signed', async () => {
    await w.call('clinician', 'PUT', `${base}/note`, { soap: SOAP, version: 0 });
    expect((await w.call('clinician', 'POST', `${base}/note/sign`, {})).statusCode).toBe(200);
    const rx = await w.call('clinician', 'POST', `${base}/prescriptions`, { medicationText: 'x', dosage: 'x', quantity: { value: 1, unit: 'x' }, refills: 0 });
    expect(rx.statusCode).toBe(409);
    expect(rx.body).toContain('note-signed');
    expect((await w.call('clinician', 'POST', `${base}/diagnoses`, { text: 'late' })).statusCode).toBe(409);
  });

  it('shows staff the billing facts the room recorded on the Encounter', async () => {
    expect(json<TVisitRecord>(await w.call('clinician', 'GET', `${base}/record`)).billing).toEqual({});
    await w.put(encounter('finished', true));
    const record = json<TVisitRecord>(await w.call('clinician', 'GET', `${base}/record`));
    expect(record.billing).toMatchObject({ placeOfService: { code: '10' }, modifier: { code: '95' } });
    expect(record.encounter).toMatchObject({ status: 'finished', start: '2030-01-07T15:02:00Z', end: '2030-01-07T15:19:00Z' });
    expect(record.patient).toEqual({ reference: 'Patient/pa', display: 'Alvarez' });
    expect((await w.call('patient', 'GET', `${base}/record`)).statusCode).toBe(404);
  });
});
