import type { TAfterVisitSummary, TSummaryList, TVitalsResponse } from '@careline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessWorld, tagged } from '../../test-support/access-world.js';
import { roomBroadcastTopic } from '../visit-ports.js';
import { APPT, ENC, SOAP, encounter, json, seedVisits } from '../../test-support/visit-record-world.js';

describe('visit record: telepresenter vitals and the after-visit summary', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    await seedVisits(w);
  });
  afterAll(async () => w.close());
  const base = `/api/visits/${APPT}`;
  const countVitals = async (): Promise<number> =>
    (await w.t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = 'Observation' AND content LIKE $1", [`%Encounter/${ENC}%`])).rows[0]?.n ?? 0;

  it('stores LOINC/UCUM vital-signs Observations and announces them to the room', async () => {
    const received: unknown[] = [];
    const stop = w.t.app.platform.bus.subscribe(roomBroadcastTopic(APPT), (m) => received.push(m));
    try {
      const res = await w.call('telepresenter', 'POST', `${base}/vitals`, { systolic: 128, diastolic: 82, heartRate: 71, temperature: 99.5, temperatureUnit: '[degF]' });
      expect(res.statusCode).toBe(201);
      const { vitals } = json<TVitalsResponse>(res);
      expect(vitals.map((v) => [v.code, v.value])).toEqual([['85354-9', '128/82 mmHg'], ['8867-4', '71 /min'], ['8310-5', '37.5 °C']]);
      const bp = await w.stored('Observation', String(vitals[0]?.observation.split('/')[1]));
      expect(bp).toMatchObject({
        status: 'final', category: [{ coding: [{ code: 'vital-signs' }] }], subject: { reference: 'Patient/pa' }, encounter: { reference: `Encounter/${ENC}` },
        performer: [{ reference: 'Practitioner/tp-1' }],
        component: [
          { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 128, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
          { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 82, code: 'mm[Hg]' } },
        ],
      });
      await expect.poll(() => received.length, { timeout: 5_000 }).toBe(3);
      expect(received[0]).toEqual({ type: 'vitals', vital: vitals[0] });
    } finally {
      stop();
    }
    const listed = json<TVitalsResponse>(await w.call('clinician', 'POST', `${base}/vitals`, { spo2: 97, weight: 70.2, respiratoryRate: 16 }));
    expect(listed.vitals.map((v) => v.value)).toEqual(['97 %', '70.2 kg', '16 /min']);
  });

  it('refuses implausible or incomplete vitals with the field named, storing nothing', async () => {
    const before = await countVitals();
    const cases: [Record<string, unknown>, string][] = [
      [{ systolic: 400, diastolic: 80, heartRate: 70 }, 'systolic'],
      [{ systolic: 120 }, 'diastolic'],
      [{ systolic: 80, diastolic: 120 }, 'diastolic'],
      [{ spo2: 101 }, 'spo2'],
      [{ temperature: 50 }, 'temperature'],
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await w.call('telepresenter', 'POST', `${base}/vitals`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect((json<{ issue: { expression?: string[] }[] }>(res).issue[0]?.expression ?? [])[0]).toBe(field);
    }
    expect((await w.call('telepresenter', 'POST', `${base}/vitals`, { heartRate: 'fast' })).statusCode).toBe(400);
    expect(await countVitals()).toBe(before);
    expect((await w.call('nurse', 'POST', `${base}/vitals`, { heartRate: 70 })).statusCode).toBe(403);
    expect((await w.call('patient', 'POST', `${base}/vitals`, { heartRate: 70 })).statusCode).toBe(403);
    expect((await w.call('clinician-org2', 'POST', `${base}/vitals`, { heartRate: 70 })).statusCode).toBe(404);
  });

  it('hides the summary from the patient until the note is signed, then shows it (JSON and PDF)', async () => {
    await w.call('clinician', 'POST', `${base}/diagnoses`, { snomed: '54150009', text: 'Common cold' });
    await w.call('clinician', 'POST', `${base}/prescriptions`, { medicationText: 'Saline nasal spray', dosage: '2 sprays as needed', quantity: { value: 1, unit: 'bottle' }, refills: 0 });
    await w.put(tagged('org-1', {
      resourceType: 'Task', id: 'fu-1', status: 'requested', intent: 'order', for: { reference: 'Patient/pa' }, basedOn: [{ reference: `Appointment/${APPT}` }],
      code: { coding: [{ system: 'urn:careline:task', code: 'book-follow-up' }] }, restriction: { period: { start: '2030-01-21', end: '2030-01-28' } },
    }));
    expect((await w.call('patient', 'GET', `${base}/summary`)).statusCode).toBe(404);
    await w.call('clinician', 'PUT', `${base}/note`, { soap: SOAP, version: 0 });
    expect((await w.call('patient', 'GET', `${base}/summary`)).statusCode).toBe(404);
    expect((await w.call('patient', 'GET', `${base}/summary.pdf`)).statusCode).toBe(404);
    expect(json<TSummaryList>(await w.call('patient', 'GET', '/api/visits/summaries')).summaries).toEqual([]);
    expect(json<TAfterVisitSummary>(await w.call('clinician', 'GET', `${base}/summary`)).signed).toBe(false);

    await w.put(encounter('finished', true));
    expect((await w.call('clinician', 'POST', `${base}/note/sign`, {})).statusCode).toBe(200);
    const res = await w.call('patient', 'GET', `${base}/summary`);
    expect(res.statusCode).toBe(200);
    const s = json<TAfterVisitSummary>(res);
    expect(s).toMatchObject({ signed: true, clinician: 'Dr. Ana One', date: '2030-01-07T15:02:00Z', plan: SOAP.plan, diagnoses: ['Common cold'] });
    expect(s.prescriptions.map((p) => p.medication.text)).toEqual(['Saline nasal spray']);
    expect(s.vitals).toHaveLength(6);
    expect(s.followUp).toEqual([{ kind: 'task', status: 'requested', from: '2030-01-21', to: '2030-01-28' }]);

    const pdf = await w.call('patient', 'GET', `${base}/summary.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(json<TSummaryList>(await w.call('patient', 'GET', '/api/visits/summaries')).summaries).toEqual([{ appointmentId: APPT, date: '2030-01-07T15:02:00Z', clinician: 'Dr. Ana One' }]);

    for (const who of ['patientB', 'caregiver', 'clinician-org2'] as const) expect((await w.call(who, 'GET', `${base}/summary`)).statusCode).toBe(404);
    expect((await w.call('patientB', 'GET', '/api/visits/summaries?patient=Patient/pa')).statusCode).toBe(404);
  });

  it('refuses vitals once the visit has ended', async () => {
    const res = await w.call('clinician', 'POST', `${base}/vitals`, { heartRate: 70 });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('visit-not-in-progress');
  });
});
