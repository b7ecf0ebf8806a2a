import { describe, expect, it } from 'vitest';
import { extractIndex, type IndexRow } from './extract-index.js';
import { skippedSearchParameters, indexedSearchParameters } from './indexed-search-parameters.js';
import { normalizeSearchText } from './normalize-text.js';

const bloodPressure = {
  resourceType: 'Observation',
  id: 'bp-1',
  meta: { lastUpdated: '2024-05-01T08:00:01.123Z' },
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }], text: 'Blood pressure' },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2024-05-01T10:00:00+02:00',
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 128, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 82, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
  ],
};

function rowsOf(resource: object, param: string): IndexRow[] {
  return extractIndex(resource).rows.filter((r) => r.param === param);
}

describe('extractIndex: a blood-pressure panel', () => {
  const { rows, compartments } = extractIndex(bloodPressure);

  it('indexes codes, components, subject, date, status and the Resource parameters', () => {
    expect(rows).toContainEqual({ kind: 'token', param: 'code', system: 'http://loinc.org', code: '85354-9', text: null });
    expect(rows).toContainEqual({ kind: 'token', param: 'component-code', system: 'http://loinc.org', code: '8480-6', text: null });
    expect(rows).toContainEqual({ kind: 'token', param: 'combo-code', system: 'http://loinc.org', code: '8462-4', text: null });
    expect(rows).toContainEqual({ kind: 'token', param: 'category', system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', text: null });
    expect(rows).toContainEqual({ kind: 'token', param: 'status', system: null, code: 'final', text: null });
    expect(rows).toContainEqual({ kind: 'token', param: '_id', system: null, code: 'bp-1', text: null });
    expect(rows).toContainEqual({ kind: 'date', param: '_lastUpdated', low: '2024-05-01T08:00:01.123Z', high: '2024-05-01T08:00:01.123Z' });
    expect(rows).toContainEqual({ kind: 'reference', param: 'subject', ref: 'Patient/p1', targetType: 'Patient', targetId: 'p1' });
    expect(rows).toContainEqual({ kind: 'reference', param: 'patient', ref: 'Patient/p1', targetType: 'Patient', targetId: 'p1' });
    expect(rows).toContainEqual({
      kind: 'quantity', param: 'component-value-quantity', value: '128', system: 'http://unitsofmeasure.org', code: 'mm[Hg]', unit: 'mmHg', comparator: null,
    });
    expect(rows.filter((r) => r.param === 'value-quantity')).toEqual([]);
  });

  it('puts the reading in its patient compartment', () => {
    expect(compartments).toEqual(['Patient/p1']);
  });

  it('never repeats a row', () => {
    const keys = rows.map((r) => JSON.stringify(r));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('does not change the resource', () => {
    const copy = structuredClone(bloodPressure);
    extractIndex(copy);
    expect(copy).toEqual(bloodPressure);
  });
});

describe('extractIndex: the nasty edges', () => {
  it('expands partial dates to the period they cover', () => {
    expect(rowsOf({ resourceType: 'Patient', birthDate: '1974' }, 'birthdate')).toEqual([
      { kind: 'date', param: 'birthdate', low: '1974-01-01T00:00:00.000Z', high: '1974-12-31T23:59:59.999Z' },
    ]);
    expect(rowsOf({ ...bloodPressure, effectiveDateTime: '2024-02' }, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '2024-02-01T00:00:00.000Z', high: '2024-02-29T23:59:59.999Z' },
    ]);
  });

  it('converts time-zone offsets to UTC', () => {
    expect(rowsOf(bloodPressure, 'date')).toEqual([{ kind: 'date', param: 'date', low: '2024-05-01T08:00:00.000Z', high: '2024-05-01T08:00:00.999Z' }]);
  });

  it('leaves a Period with no end open to the latest instant', () => {
    const encounter = { resourceType: 'Encounter', status: 'in-progress', class: { code: 'VR' }, period: { start: '2024-03-05' } };
    expect(rowsOf(encounter, 'date')).toEqual([{ kind: 'date', param: 'date', low: '2024-03-05T00:00:00.000Z', high: '9999-12-31T23:59:59.999Z' }]);
    expect(rowsOf({ ...encounter, period: { end: '2024-03-05T12:00:00Z' } }, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '0001-01-01T00:00:00.000Z', high: '2024-03-05T12:00:00.999Z' },
    ]);
  });

  it('indexes a Reference that has only an identifier as a token under the reference parameter', () => {
    const obs = { ...bloodPressure, subject: { type: 'Patient', identifier: { system: 'urn:mrn', value: '42' } } };
    expect(rowsOf(obs, 'subject')).toEqual([{ kind: 'token', param: 'subject', system: 'urn:mrn', code: '42', text: null }]);
    // Reference.type says it is a Patient, so `patient:identifier=urn:mrn|42` finds it too…
    expect(rowsOf(obs, 'patient')).toEqual([{ kind: 'token', param: 'patient', system: 'urn:mrn', code: '42', text: null }]);
    // …but with no literal reference no compartment can be named.
    expect(extractIndex(obs).compartments).toEqual([]);
  });

  it('indexes CodeableConcept.text and Coding.display for :text', () => {
    const obs = { ...bloodPressure, code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood Pressure Panel' }], text: 'Tensión arterial' } };
    expect(rowsOf(obs, 'code')).toEqual([
      { kind: 'token', param: 'code', system: 'http://loinc.org', code: '85354-9', text: 'blood pressure panel' },
      { kind: 'token', param: 'code', system: null, code: null, text: 'tension arterial' },
    ]);
  });

  it('finds "José Núñez" by "jose" and "nun" and keeps the exact text', () => {
    const patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['José'], family: 'Núñez' }] };
    const names = rowsOf(patient, 'name');
    expect(names).toContainEqual({ kind: 'string', param: 'name', value: 'jose', exact: 'José' });
    expect(names.some((r) => r.kind === 'string' && r.value.startsWith(normalizeSearchText('JOSE')))).toBe(true);
    expect(names.some((r) => r.kind === 'string' && r.value.startsWith(normalizeSearchText('nún')))).toBe(true);
    expect(rowsOf(patient, 'family')).toEqual([{ kind: 'string', param: 'family', value: 'nunez', exact: 'Núñez' }]);
  });

  it('keeps a quantity comparator with the value', () => {
    const obs = { ...bloodPressure, component: undefined, valueQuantity: { value: 5.7, comparator: '<', unit: '%', system: 'http://unitsofmeasure.org', code: '%' } };
    expect(rowsOf(obs, 'value-quantity')).toEqual([
      { kind: 'quantity', param: 'value-quantity', value: '5.7', system: 'http://unitsofmeasure.org', code: '%', unit: '%', comparator: '<' },
    ]);
  });

  it('puts a resource with several patients in each of their compartments', () => {
    const appointment = {
      resourceType: 'Appointment',
      status: 'booked',
      participant: [
        { actor: { reference: 'Patient/b' }, status: 'accepted' },
        { actor: { reference: 'Patient/a' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/c' }, status: 'accepted' },
        { actor: { reference: 'https://elsewhere.example/fhir/Patient/z' }, status: 'accepted' },
      ],
    };
    const { rows, compartments } = extractIndex(appointment);
    expect(compartments).toEqual(['Patient/a', 'Patient/b']);
    expect(rows.filter((r) => r.param === 'patient').map((r) => (r.kind === 'reference' ? r.ref : null))).toEqual([
      'Patient/b', 'Patient/a', 'https://elsewhere.example/fhir/Patient/z',
    ]);
    expect(rows.filter((r) => r.param === 'practitioner')).toHaveLength(1);
  });

  it('puts an Observation in the compartment of a patient who performed it', () => {
    const obs = { ...bloodPressure, subject: { reference: 'Group/g1' }, performer: [{ reference: 'Patient/self' }] };
    expect(extractIndex(obs).compartments).toEqual(['Patient/self']);
  });

  it('puts a Patient in its own compartment and in those of patients it links to', () => {
    const patient = { resourceType: 'Patient', id: 'p2', link: [{ other: { reference: 'Patient/p3' }, type: 'seealso' }] };
    expect(extractIndex(patient).compartments).toEqual(['Patient/p2', 'Patient/p3']);
  });

  it('normalises references: versions dropped, this server made relative, others kept', () => {
    const obs = { ...bloodPressure, subject: { reference: 'Patient/p1/_history/3' }, device: { reference: 'https://careline.example/fhir/Device/d1' } };
    expect(rowsOf(obs, 'subject')).toEqual([{ kind: 'reference', param: 'subject', ref: 'Patient/p1', targetType: 'Patient', targetId: 'p1' }]);
    const local = extractIndex(obs, { serverBase: 'https://careline.example/fhir/' }).rows.filter((r) => r.param === 'device');
    expect(local).toEqual([{ kind: 'reference', param: 'device', ref: 'Device/d1', targetType: 'Device', targetId: 'd1' }]);
    const remote = rowsOf(obs, 'device');
    expect(remote).toEqual([{ kind: 'reference', param: 'device', ref: 'https://careline.example/fhir/Device/d1', targetType: 'Device', targetId: 'd1' }]);
    const urn = rowsOf({ ...bloodPressure, subject: { reference: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a' } }, 'subject');
    expect(urn).toEqual([{ kind: 'reference', param: 'subject', ref: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a', targetType: null, targetId: null }]);
  });

  it('indexes identifiers with their type text, telecom values and booleans', () => {
    const patient = {
      resourceType: 'Patient',
      active: false,
      identifier: [{ type: { text: 'MRN' }, system: 'urn:mrn', value: '12345' }],
      telecom: [{ system: 'email', value: 'a@example.org' }, { system: 'phone', value: '+1 555' }],
    };
    expect(rowsOf(patient, 'identifier')).toEqual([{ kind: 'token', param: 'identifier', system: 'urn:mrn', code: '12345', text: 'mrn' }]);
    expect(rowsOf(patient, 'email')).toEqual([{ kind: 'token', param: 'email', system: null, code: 'a@example.org', text: null }]);
    expect(rowsOf(patient, 'phone')).toEqual([{ kind: 'token', param: 'phone', system: null, code: '+1 555', text: null }]);
    expect(rowsOf(patient, 'active')).toEqual([{ kind: 'token', param: 'active', system: null, code: 'false', text: null }]);
    // Patient-deceased is not a plain path: evaluated by fhirpath.js, false when absent.
    expect(rowsOf(patient, 'deceased')).toEqual([{ kind: 'token', param: 'deceased', system: null, code: 'false', text: null }]);
  });

  it('gives nothing for what is not an R4 resource', () => {
    for (const input of [null, 42, 'Patient', [], {}, { resourceType: 'Quantity' }, { resourceType: 'Nope', id: 'x' }]) {
      expect(extractIndex(input)).toEqual({ rows: [], compartments: [] });
    }
  });

  it('skips values of the wrong shape instead of throwing', () => {
    const odd = { resourceType: 'Observation', code: 'not-a-concept', subject: { reference: 42 }, effectiveDateTime: 'yesterday', component: [null, 7, { code: { coding: 'x' } }] };
    expect(() => extractIndex(odd)).not.toThrow();
    expect(extractIndex(odd).rows.filter((r) => r.param !== '_id')).toEqual([]);
  });
});

describe('skipped parameters', () => {
  it('lists composite and special parameters and those without an expression', () => {
    const skipped = skippedSearchParameters();
    expect(skipped).toContainEqual({ resourceType: 'Observation', code: 'code-value-quantity', type: 'composite', reason: 'composite' });
    expect(skipped).toContainEqual({ resourceType: 'Location', code: 'near', type: 'special', reason: 'special' });
    expect(skipped).toContainEqual({ resourceType: 'Patient', code: '_text', type: 'string', reason: 'no-expression' });
    expect(skipped.filter((s) => s.reason === 'does-not-compile')).toEqual([]);
  });

  it('leaves them out of the indexed list', () => {
    const codes = indexedSearchParameters('Observation').map((p) => p.code);
    expect(codes).toContain('code');
    expect(codes).toContain('_lastUpdated');
    expect(codes).not.toContain('code-value-quantity');
  });
});
