import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';
import { r4SchemaErrors } from '../test-support/r4-json-schema.js';

const FHIR = 'application/fhir+json';

interface Served {
  readonly label: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Everything the server says in a realistic session — resources, search/history/transaction
 * Bundles, OperationOutcomes for errors — validates against the official R4 JSON schema. A server
 * that invents an element, mistypes a primitive (a number where FHIR wants a string) or drops a
 * required one fails here, whatever its own validator thinks.
 */
describe('every FHIR response validates against the R4 JSON schema', () => {
  let t: TestApp;
  const served: Served[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
    // Compile the schema up front (seconds), so that no single test carries the cost.
    expect(r4SchemaErrors({ resourceType: 'Basic', code: { text: 'warm-up' } })).toEqual([]);
  }, 120_000);
  afterAll(async () => t.close());

  /** One request; its JSON answer (if any) is checked against the schema on the spot and kept. */
  async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Served> {
    const contentType = method === 'PATCH' ? 'application/json-patch+json' : FHIR;
    const r = await t.app.inject({
      method,
      url,
      headers: body === undefined ? headers : { 'content-type': contentType, ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    const label = `${method} ${url} → ${r.statusCode}`;
    const parsed = r.body.length > 0 ? (r.json<Record<string, unknown>>()) : {};
    const out = { label, status: r.statusCode, body: parsed };
    if (r.body.length > 0) {
      served.push(out);
      expect(r4SchemaErrors(parsed), label).toEqual([]);
    }
    return out;
  }
  const idOf = (s: Served): string => String(s.body.id);

  let patientId = '';
  let practitionerId = '';
  let observationId = '';

  it('the schema check itself refuses what is not R4 (a check that passes everything proves nothing)', () => {
    const invalid: unknown[] = [
      { resourceType: 'Patient', gender: 5 },
      { resourceType: 'Patient', shoeSize: 9 },
      { resourceType: 'Observation', status: 'final' },
      { resourceType: 'OperationOutcome' },
      { resourceType: 'Project', name: 'a Medplum resource, not R4' },
      { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', birthDate: 19480302 } }] },
      { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: 201 } }] },
      { resourceType: 'Bundle', type: 'history', entry: [{ response: { status: '200', lastModified: 'yesterday' } }] },
    ];
    for (const v of invalid) expect(r4SchemaErrors(v), JSON.stringify(v)).not.toEqual([]);
  });

  it('capability statement and created resources of many types', async () => {
    expect((await call('GET', '/fhir/R4/metadata')).status).toBe(200);
    const org = await call('POST', '/fhir/R4/Organization', { resourceType: 'Organization', name: 'Careline Clinic', active: true });
    const pat = await call('POST', '/fhir/R4/Patient', {
      ...patient('Schema', 'Sam'),
      telecom: [{ system: 'phone', value: '+1 555 0100', use: 'mobile' }],
      address: [{ line: ['1 Main St'], city: 'Springfield', postalCode: '12345', country: 'US' }],
      managingOrganization: { reference: `Organization/${idOf(org)}` },
      extension: [{ url: 'http://example.org/fhir/StructureDefinition/preferred-contact-time', valueTime: '09:30:00' }],
    });
    expect(pat.status).toBe(201);
    patientId = idOf(pat);
    const prac = await call('POST', '/fhir/R4/Practitioner', { resourceType: 'Practitioner', name: [{ family: 'House', prefix: ['Dr'] }], active: true });
    practitionerId = idOf(prac);
    const subject = { reference: `Patient/${patientId}` };
    const enc = await call('POST', '/fhir/R4/Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
      subject,
      participant: [{ individual: { reference: `Practitioner/${practitionerId}` } }],
      period: { start: '2026-04-01T09:00:00Z', end: '2026-04-01T09:20:00Z' },
    });
    const obs = await call('POST', '/fhir/R4/Observation', { ...bloodPressure(patientId, '2026-04-01T09:05:00Z'), encounter: { reference: `Encounter/${idOf(enc)}` } });
    observationId = idOf(obs);
    await call('POST', '/fhir/R4/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
      subject,
      effectiveDateTime: '2026-04-01T09:06:00Z',
      valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    });
    await call('POST', '/fhir/R4/Condition', {
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
      subject,
      onsetDateTime: '2020-01-01',
    });
    await call('POST', '/fhir/R4/AllergyIntolerance', {
      resourceType: 'AllergyIntolerance',
      patient: subject,
      code: { text: 'Penicillin' },
      reaction: [{ manifestation: [{ text: 'Rash' }], severity: 'mild' }],
    });
    await call('POST', '/fhir/R4/MedicationRequest', {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject,
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361', display: 'Amlodipine 5 MG' }] },
      dosageInstruction: [{ text: 'once daily', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }],
    });
    await call('POST', '/fhir/R4/Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      start: '2026-05-01T10:00:00Z',
      end: '2026-05-01T10:30:00Z',
      participant: [
        { actor: subject, status: 'accepted' },
        { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
      ],
    });
    await call('POST', '/fhir/R4/Patient', patient('Schema', 'Outcome'), { prefer: 'return=OperationOutcome' });
  });

  it('reads, vreads, updates and patches', async () => {
    const read = await call('GET', `/fhir/R4/Patient/${patientId}`);
    await call('PUT', `/fhir/R4/Patient/${patientId}`, { ...read.body, active: true }, { 'if-match': 'W/"1"' });
    await call('PATCH', `/fhir/R4/Patient/${patientId}`, [{ op: 'add', path: '/deceasedBoolean', value: false }]);
    await call('GET', `/fhir/R4/Patient/${patientId}/_history/1`);
    await call('GET', `/fhir/R4/Practitioner/${practitionerId}`);
    expect((await call('GET', `/fhir/R4/Observation/${observationId}`)).body.resourceType).toBe('Observation');
  });

  it('search Bundles: paged, sorted, _include/_revinclude, _summary, _elements, totals and outcomes', async () => {
    const paged = await call('GET', `/fhir/R4/Observation?subject=Patient/${patientId}&_sort=-date&_count=1`);
    const next = (paged.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url ?? '';
    expect(next).not.toBe('');
    const second = await call('GET', next.replace(/^https?:\/\/[^/]+/, ''));
    expect((second.body.link as { relation: string }[]).map((l) => l.relation)).toContain('previous');
    await call('GET', `/fhir/R4/Observation?subject=Patient/${patientId}&_include=Observation:subject&_include=Observation:encounter`);
    await call('GET', `/fhir/R4/Patient?_id=${patientId}&_revinclude=Observation:subject&_revinclude=Condition:subject`);
    await call('GET', `/fhir/R4/Observation?subject=Patient/${patientId}&_summary=count`);
    await call('GET', `/fhir/R4/Patient?_id=${patientId}&_summary=true`);
    await call('GET', `/fhir/R4/Observation?subject=Patient/${patientId}&_elements=status,code`);
    await call('GET', `/fhir/R4/Observation?subject=Patient/${patientId}&_total=accurate`);
    await call('GET', '/fhir/R4/Patient?family=schema&shoe-size=9', undefined, { prefer: 'handling=lenient' });
    await call('GET', `/fhir/R4/Encounter?patient=${patientId}&date=ge2026-01-01`);
    await call('POST', '/fhir/R4/Appointment/_search', undefined);
    await call('GET', `/fhir/R4/Patient/${patientId}/$everything`);
  });

  it('history Bundles: instance, type and system', async () => {
    await call('GET', `/fhir/R4/Patient/${patientId}/_history`);
    await call('GET', '/fhir/R4/Observation/_history?_count=1');
    await call('GET', '/fhir/R4/_history?_count=5');
    await call('DELETE', `/fhir/R4/Practitioner/${practitionerId}`, undefined, { prefer: 'return=OperationOutcome' });
    // The deletion's history entry carries no resource.
    const hist = await call('GET', `/fhir/R4/Practitioner/${practitionerId}/_history`);
    expect((hist.body.entry as { resource?: unknown }[])[0]?.resource).toBeUndefined();
  });

  it('transaction-response and batch-response Bundles, failing entries included', async () => {
    const urn = `urn:uuid:${randomUUID()}`;
    const txn = await call('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: urn, resource: patient('Bundle', 'Bea'), request: { method: 'POST', url: 'Patient' } },
        { resource: { ...bloodPressure('x', '2026-04-02T08:00:00Z'), subject: { reference: urn } }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'GET', url: `Observation?subject=Patient/${patientId}&_count=2` } },
        { request: { method: 'GET', url: `Patient/${patientId}` } },
      ],
    });
    expect(txn.status).toBe(200);
    const batch = await call('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('Bundle', 'Bob'), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: `Patient/${randomUUID()}` } },
        { resource: { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'DELETE', url: `Condition/${randomUUID()}` } },
        { request: { method: 'GET', url: `Patient/${patientId}/_history/1` } },
      ],
    });
    expect((batch.body.entry as { response: { status: string } }[]).map((e) => e.response.status)).toEqual(['201', '404', '400', '204', '200']);
    // A failed transaction answers with one OperationOutcome.
    const failed = await call('POST', '/fhir/R4', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('Bundle', 'Never'), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(failed.status).toBe(400);
    expect(failed.body.resourceType).toBe('OperationOutcome');
  });

  it('OperationOutcomes for errors: 400, 404, 406, 410, 412, 415, 422-style validation', async () => {
    const statuses: number[] = [];
    const expectOutcome = async (p: Promise<Served>): Promise<void> => {
      const s = await p;
      statuses.push(s.status);
      expect(s.body.resourceType, s.label).toBe('OperationOutcome');
    };
    await expectOutcome(call('GET', `/fhir/R4/Patient/${randomUUID()}`));
    await expectOutcome(call('GET', '/fhir/R4/Spaceship/1'));
    await expectOutcome(call('GET', '/fhir/R4/Patient?shoe-size=9'));
    await expectOutcome(call('GET', '/fhir/R4/Patient?birthdate=not-a-date'));
    await expectOutcome(call('GET', '/fhir/R4/Patient', undefined, { accept: 'application/fhir+xml' }));
    await expectOutcome(call('POST', '/fhir/R4/Observation', { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } }));
    await expectOutcome(call('POST', '/fhir/R4/Patient', { resourceType: 'Patient', birthDate: 'yesterday', unknownElement: 1 }));
    await expectOutcome(call('PUT', `/fhir/R4/Patient/${patientId}`, { ...patient(), id: patientId }, { 'if-match': 'W/"1"' }));
    await expectOutcome(call('GET', `/fhir/R4/Practitioner/${practitionerId}`));
    const xml = await t.app.inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { 'content-type': 'application/fhir+xml' }, payload: '<Patient/>' });
    served.push({ label: 'POST xml → 415', status: xml.statusCode, body: xml.json() });
    expect(r4SchemaErrors(xml.json())).toEqual([]);
    const broken = await t.app.inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { 'content-type': FHIR }, payload: '{"resourceType": "Patient",' });
    expect(broken.statusCode).toBe(400);
    expect(r4SchemaErrors(broken.json())).toEqual([]);
    expect(statuses).toEqual([404, 404, 400, 400, 406, 400, 400, 412, 410]);
  });

  it('covered the kinds of answer it set out to cover', () => {
    const kinds = new Set(served.map((s) => (s.body.resourceType === 'Bundle' ? `Bundle/${String(s.body.type)}` : String(s.body.resourceType))));
    for (const k of ['CapabilityStatement', 'Patient', 'Observation', 'Encounter', 'OperationOutcome', 'Bundle/searchset', 'Bundle/history', 'Bundle/transaction-response', 'Bundle/batch-response']) {
      expect(kinds, k).toContain(k);
    }
  });
});
