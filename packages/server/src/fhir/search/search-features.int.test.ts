import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { openAccess } from '../test-support/fhir-fixtures.js';

/**
 * FHIR search (https://hl7.org/fhir/R4/search.html) end to end over HTTP, on a small clinic: four
 * patients (accents, partial birth dates, one without), two practitioners, seven observations,
 * two encounters, a provenance, risk assessments (numbers) and value sets (uris). Every case names
 * the rule it checks and expects an exact set (or order) of the resources above.
 */

const FHIR = 'application/fhir+json';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const MRN = 'urn:careline:mrn';
const TAGS = 'urn:careline:tags';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const PROFILE = 'http://careline.example/fhir/StructureDefinition/careline-patient';
const VS_VITALS = 'http://careline.example/fhir/ValueSet/vitals';
const VS_LABS = 'http://careline.example/fhir/ValueSet/labs';

interface Meta {
  versionId: string;
  lastUpdated: string;
  tag?: { system?: string; code?: string }[];
}
interface Resource {
  resourceType: string;
  id: string;
  meta: Meta;
  [element: string]: unknown;
}
interface Entry {
  fullUrl?: string;
  resource: Resource;
  search?: { mode: 'match' | 'include' | 'outcome' };
}
interface Bundle {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry: Entry[];
}

/** Labels of the seeded resources, by label and by id, so expectations read as names. */
const ids = new Map<string, string>();
const labels = new Map<string, string>();
const created = new Map<string, Resource>();

function id(label: string): string {
  const v = ids.get(label);
  if (!v) throw new Error(`nothing seeded as ${label}`);
  return v;
}

describe('FHIR search features', () => {
  let t: TestApp;

  const create = async (label: string, body: Record<string, unknown>): Promise<void> => {
    const r = await t.app.inject({ method: 'POST', url: `/fhir/R4/${String(body.resourceType)}`, headers: { 'content-type': FHIR }, payload: JSON.stringify(body) });
    expect(r.statusCode, r.body).toBe(201);
    const resource = r.json<Resource>();
    ids.set(label, resource.id);
    labels.set(`${resource.resourceType}/${resource.id}`, label);
    created.set(label, resource);
  };

  const get = async (url: string, headers: Record<string, string> = {}): Promise<Bundle> => {
    const r = await t.app.inject({ url, headers });
    expect(r.statusCode, `${url} → ${r.body}`).toBe(200);
    const b = r.json<Bundle>();
    expect(b.resourceType).toBe('Bundle');
    expect(b.type).toBe('searchset');
    return b;
  };

  /** `/fhir/R4/Type?` + encoded pairs; values are written here unencoded, as a person would. */
  const url = (type: string, ...pairs: [string, string][]): string => `/fhir/R4/${type}?${new URLSearchParams(pairs).toString()}`;

  const label = (e: Entry): string => labels.get(`${e.resource.resourceType}/${e.resource.id}`) ?? `?${e.resource.resourceType}/${e.resource.id}`;
  const matched = (b: Bundle): string[] => b.entry.filter((e) => e.search?.mode === 'match').map(label);
  const included = (b: Bundle): string[] => b.entry.filter((e) => e.search?.mode === 'include').map(label).sort();

  /** The set of matches, order ignored. */
  const expectMatches = async (u: string, expected: readonly string[]): Promise<Bundle> => {
    const b = await get(u);
    expect(matched(b).sort(), u).toEqual([...expected].sort());
    return b;
  };
  /** The matches in exactly this order. */
  const expectOrder = async (u: string, expected: readonly string[]): Promise<void> => {
    expect(matched(await get(u)), u).toEqual(expected);
  };

  const local = (absolute: string): string => absolute.replace(/^https?:\/\/[^/]+/, '');

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });

    await create('P1', {
      resourceType: 'Patient',
      meta: { tag: [{ system: TAGS, code: 'pilot' }], profile: [PROFILE], security: [{ system: CONFIDENTIALITY, code: 'R' }] },
      identifier: [{ system: MRN, value: 'MRN-1001' }, { system: 'http://hospital.example/ids', value: 'H-77' }],
      name: [{ family: 'Núñez', given: ['José'] }],
      gender: 'male',
      birthDate: '1948-03-02',
      address: [{ city: 'Zürich', country: 'CH' }],
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] } }],
    });
    await create('P2', { resourceType: 'Patient', identifier: [{ system: MRN, value: 'MRN-1002' }], name: [{ family: 'Smith', given: ['Ann'] }], gender: 'female', birthDate: '1990-11' });
    await create('P3', { resourceType: 'Patient', identifier: [{ system: MRN, value: 'MRN-1003' }], name: [{ family: 'Ødegård', given: ['Björn'] }], gender: 'male', birthDate: '1990' });
    await create('P4', { resourceType: 'Patient', name: [{ family: 'Smithson', given: ['Zoë'] }], gender: 'female' });

    await create('Pr1', { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], name: [{ family: 'Okafor', given: ['Chidi'] }] });
    await create('Pr2', { resourceType: 'Practitioner', name: [{ family: 'Müller', given: ['Anna'] }] });

    const vital = [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }];
    const lab = [{ coding: [{ system: CATEGORY, code: 'laboratory' }] }];
    const subject = (p: string): { reference: string } => ({ reference: `Patient/${id(p)}` });
    await create('O1', {
      resourceType: 'Observation', status: 'final', category: vital,
      code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }] },
      subject: subject('P1'), performer: [{ reference: `Practitioner/${id('Pr1')}` }], effectiveDateTime: '2024-03-15T08:00:00Z',
      component: [
        { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
        { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
      ],
    });
    await create('O2', {
      resourceType: 'Observation', status: 'final', category: vital, code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] },
      subject: subject('P1'), effectiveDateTime: '2024-03-20T09:30:00Z', valueQuantity: { value: 72, unit: 'beats/minute', system: UCUM, code: '/min' },
    });
    await create('O3', {
      resourceType: 'Observation', status: 'final', category: vital, code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body weight' }] },
      subject: subject('P2'), effectiveDateTime: '2024-04-02', valueQuantity: { value: 68.5, unit: 'kg', system: UCUM, code: 'kg' },
    });
    await create('O4', {
      resourceType: 'Observation', status: 'final', category: lab,
      code: { coding: [{ system: LOINC, code: '2339-0' }], text: 'Glucose [Mass/volume] in Blood' },
      subject: subject('P2'), effectivePeriod: { start: '2024-05-01T08:00:00Z', end: '2024-05-01T10:00:00Z' },
      valueQuantity: { value: 5.4, unit: 'mmol/L', system: UCUM, code: 'mmol/L' },
    });
    await create('O5', {
      resourceType: 'Observation', status: 'final', category: lab, code: { coding: [{ system: LOINC, code: '4548-4', display: 'Hemoglobin A1c' }] },
      subject: subject('P3'), effectiveDateTime: '2023-12-31T23:00:00Z', valueQuantity: { value: 6.1, unit: '%', system: UCUM, code: '%' },
    });
    await create('O6', {
      resourceType: 'Observation', status: 'final', category: [{ coding: [{ system: CATEGORY, code: 'social-history' }] }],
      code: { coding: [{ system: LOINC, code: '72166-2', display: 'Tobacco smoking status' }] },
      subject: subject('P3'), effectiveDateTime: '2022', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' }] },
    });
    // No subject, no category, a code without a system: the odd one out.
    await create('O7', { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'calib' }], text: 'Device calibration check' }, effectiveDateTime: '2024-06' });

    await create('E1', {
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: subject('P1'), participant: [{ individual: { reference: `Practitioner/${id('Pr1')}` } }],
      period: { start: '2024-03-15T07:45:00Z', end: '2024-03-15T08:30:00Z' },
    });
    // Still open: the period has no end.
    await create('E2', {
      resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: subject('P2'), period: { start: '2024-05-01T07:00:00Z' },
    });
    await create('Pv1', {
      resourceType: 'Provenance', target: [{ reference: `Observation/${id('O1')}` }], recorded: '2024-03-15T08:05:00Z',
      agent: [{ who: { reference: `Practitioner/${id('Pr1')}` } }],
    });
    await create('RA1', { resourceType: 'RiskAssessment', status: 'final', subject: subject('P1'), prediction: [{ probabilityDecimal: 0.15 }] });
    await create('RA2', { resourceType: 'RiskAssessment', status: 'final', subject: subject('P2'), prediction: [{ probabilityDecimal: 0.62 }] });
    await create('VS1', { resourceType: 'ValueSet', url: VS_VITALS, status: 'active', name: 'CarelineVitals' });
    await create('VS2', { resourceType: 'ValueSet', url: VS_LABS, status: 'draft', name: 'CarelineLabs' });
  });
  afterAll(async () => t.close());

  describe('string', () => {
    it('matches the start of any name part, ignoring case and accents', async () => {
      await expectMatches(url('Patient', ['name', 'jos']), ['P1']);
      await expectMatches(url('Patient', ['name', 'JOSÉ']), ['P1']);
      await expectMatches(url('Patient', ['family', 'nunez']), ['P1']);
      await expectMatches(url('Patient', ['family', 'NÚÑ']), ['P1']);
      await expectMatches(url('Patient', ['family', 'odeg']), ['P3']);
      await expectMatches(url('Patient', ['given', 'zoe']), ['P4']);
      await expectMatches(url('Patient', ['family', 'smith']), ['P2', 'P4']);
      await expectMatches(url('Patient', ['address-city', 'zurich']), ['P1']);
      // Starts-with, not contains.
      await expectMatches(url('Patient', ['family', 'mith']), []);
    });

    it(':exact compares the whole value, case and accents included', async () => {
      await expectMatches(url('Patient', ['family:exact', 'Smith']), ['P2']);
      await expectMatches(url('Patient', ['family:exact', 'smith']), []);
      await expectMatches(url('Patient', ['family:exact', 'Núñez']), ['P1']);
      await expectMatches(url('Patient', ['family:exact', 'Nunez']), []);
    });

    it(':contains matches anywhere in a part, ignoring case and accents', async () => {
      await expectMatches(url('Patient', ['family:contains', 'MITH']), ['P2', 'P4']);
      await expectMatches(url('Patient', ['name:contains', 'ørn']), ['P3']);
      await expectMatches(url('Patient', ['name:contains', 'ñe']), ['P1']);
    });

    it('treats LIKE wildcards in a value as plain characters', async () => {
      await expectMatches(url('Patient', ['family', '%']), []);
      await expectMatches(url('Patient', ['family', 'sm_th']), []);
      await expectMatches(url('Patient', ['family:contains', '_']), []);
    });
  });

  describe('token', () => {
    it('code, system|code, |code and system|', async () => {
      await expectMatches(url('Observation', ['code', '8867-4']), ['O2']);
      await expectMatches(url('Observation', ['code', `${LOINC}|8867-4`]), ['O2']);
      await expectMatches(url('Observation', ['code', 'http://snomed.info/sct|8867-4']), []);
      await expectMatches(url('Observation', ['code', '|calib']), ['O7']);
      await expectMatches(url('Observation', ['code', '|8867-4']), []);
      await expectMatches(url('Observation', ['code', `${LOINC}|`]), ['O1', 'O2', 'O3', 'O4', 'O5', 'O6']);
      await expectMatches(url('Patient', ['identifier', `${MRN}|MRN-1001`]), ['P1']);
      await expectMatches(url('Patient', ['identifier', 'H-77']), ['P1']);
      await expectMatches(url('Patient', ['gender', 'female']), ['P2', 'P4']);
    });

    it('component codes and values are searchable', async () => {
      await expectMatches(url('Observation', ['component-code', `${LOINC}|8480-6`]), ['O1']);
      await expectMatches(url('Observation', ['combo-code', '8462-4']), ['O1']);
    });

    it(':not matches resources without the code, including those with no value at all', async () => {
      await expectMatches(url('Observation', ['category:not', 'vital-signs']), ['O4', 'O5', 'O6', 'O7']);
      await expectMatches(url('Observation', ['category:not', `${CATEGORY}|laboratory`]), ['O1', 'O2', 'O3', 'O6', 'O7']);
    });

    it(':text searches display and CodeableConcept.text, case-insensitively', async () => {
      await expectMatches(url('Observation', ['code:text', 'glucose']), ['O4']);
      await expectMatches(url('Observation', ['code:text', 'BLOOD PR']), ['O1']);
      await expectMatches(url('Observation', ['value-concept:text', 'ex-smok']), ['O6']);
    });
  });

  describe('reference', () => {
    it('Type/id, a bare id, an absolute URL on this server, and the type modifier', async () => {
      await expectMatches(url('Observation', ['subject', `Patient/${id('P1')}`]), ['O1', 'O2']);
      await expectMatches(url('Observation', ['subject', id('P1')]), ['O1', 'O2']);
      await expectMatches(url('Observation', ['patient', id('P2')]), ['O3', 'O4']);
      await expectMatches(url('Observation', ['subject:Patient', id('P1')]), ['O1', 'O2']);
      await expectMatches(url('Observation', ['subject:Group', id('P1')]), []);
      await expectMatches(url('Observation', ['subject:Patient', `Patient/${id('P1')}`]), ['O1', 'O2']);
      // The modifier names the type; a value naming another type contradicts it.
      expect((await t.app.inject({ url: url('Observation', ['subject:Group', `Patient/${id('P1')}`]) })).statusCode).toBe(400);
      await expectMatches(url('Observation', ['performer', `Practitioner/${id('Pr1')}`]), ['O1']);
      const self = (await get(url('Observation', ['_count', '1']))).link.find((l) => l.relation === 'self')?.url ?? '';
      const base = self.slice(0, self.indexOf('/Observation'));
      await expectMatches(url('Observation', ['subject', `${base}/Patient/${id('P3')}`]), ['O5', 'O6']);
      await expectMatches(url('Observation', ['subject', `Patient/${id('P3')}/_history/1`]), ['O5', 'O6']);
    });

    it(':missing=true finds resources without the reference, :missing=false those with it', async () => {
      await expectMatches(url('Observation', ['subject:missing', 'true']), ['O7']);
      await expectMatches(url('Observation', ['subject:missing', 'false']), ['O1', 'O2', 'O3', 'O4', 'O5', 'O6']);
      await expectMatches(url('Patient', ['birthdate:missing', 'true']), ['P4']);
      expect((await t.app.inject({ url: url('Observation', ['subject:missing', 'maybe']) })).statusCode).toBe(400);
    });

    it('a reference chain (subject:Patient.name) and one with a single target type (patient.name)', async () => {
      await expectMatches(url('Observation', ['subject:Patient.name', 'smith']), ['O3', 'O4']);
      await expectMatches(url('Observation', ['subject:Patient.birthdate', '1948']), ['O1', 'O2']);
      await expectMatches(url('Observation', ['patient.family', 'ødegård']), ['O5', 'O6']);
      await expectMatches(url('Encounter', ['practitioner.name', 'okafor']), ['E1']);
      // subject may point at Group, Device, Location or Patient: the chain must say which.
      expect((await t.app.inject({ url: url('Observation', ['subject.name', 'smith']) })).statusCode).toBe(400);
    });

    it('_has finds resources referred to by matching resources', async () => {
      await expectMatches(url('Patient', ['_has:Observation:subject:code', '4548-4']), ['P3']);
      await expectMatches(url('Patient', ['_has:Observation:patient:category', 'laboratory']), ['P2', 'P3']);
      await expectMatches(url('Practitioner', ['_has:Provenance:agent:_id', id('Pv1')]), ['Pr1']);
      await expectMatches(url('Patient', ['_has:Observation:subject:code', 'no-such-code']), []);
    });
  });

  describe('date', () => {
    it('eq with year, month and day precision', async () => {
      await expectMatches(url('Observation', ['date', '2024']), ['O1', 'O2', 'O3', 'O4', 'O7']);
      await expectMatches(url('Observation', ['date', '2024-03']), ['O1', 'O2']);
      await expectMatches(url('Observation', ['date', '2024-03-15']), ['O1']);
      await expectMatches(url('Observation', ['date', 'eq2024-03-15']), ['O1']);
      await expectMatches(url('Observation', ['date', '2024-05-01']), ['O4']);
    });

    it('ne, gt, lt, ge, le, sa, eb', async () => {
      await expectMatches(url('Observation', ['date', 'ne2024-03']), ['O3', 'O4', 'O5', 'O6', 'O7']);
      await expectMatches(url('Observation', ['date', 'gt2024-03-20']), ['O3', 'O4', 'O7']);
      await expectMatches(url('Observation', ['date', 'lt2024-03-15']), ['O5', 'O6']);
      await expectMatches(url('Observation', ['date', 'ge2024-03-20']), ['O2', 'O3', 'O4', 'O7']);
      await expectMatches(url('Observation', ['date', 'le2024-03-15']), ['O1', 'O5', 'O6']);
      await expectMatches(url('Observation', ['date', 'sa2024-03']), ['O3', 'O4', 'O7']);
      await expectMatches(url('Observation', ['date', 'eb2024']), ['O5', 'O6']);
      await expectMatches(url('Observation', ['date', 'ge2024-03-15T08:00:00Z']), ['O1', 'O2', 'O3', 'O4', 'O7']);
    });

    it('partial birth dates: a year contains its months, a month is not inside one of its days', async () => {
      await expectMatches(url('Patient', ['birthdate', '1990']), ['P2', 'P3']);
      await expectMatches(url('Patient', ['birthdate', '1990-11']), ['P2']);
      await expectMatches(url('Patient', ['birthdate', '1990-11-05']), []);
      await expectMatches(url('Patient', ['birthdate', 'ge1990-06']), ['P2', 'P3']);
      await expectMatches(url('Patient', ['birthdate', 'lt1960']), ['P1']);
    });

    it('a Period, closed and open-ended, as a range', async () => {
      await expectMatches(url('Encounter', ['date', '2024-03-15']), ['E1']);
      await expectMatches(url('Encounter', ['date', 'ge2025-01-01']), ['E2']);
      await expectMatches(url('Encounter', ['date', 'gt2024-04']), ['E2']);
      await expectMatches(url('Encounter', ['date', 'lt2024-05-01T07:00:00Z']), ['E1']);
      await expectMatches(url('Encounter', ['date', 'sa2024-03-15T08:00:00Z']), ['E2']);
      await expectMatches(url('Encounter', ['date', 'eb2024-03-15T09:00:00Z']), ['E1']);
      // The glucose sample was taken over two hours; a single instant inside is not "equal" to it.
      await expectMatches(url('Observation', ['date', '2024-05-01T09:00:00Z']), []);
      await expectMatches(url('Observation', ['date', 'sa2024-05-01T07:59:00Z']), ['O4', 'O7']);
    });

    it('refuses a date that is not one', async () => {
      for (const bad of ['2024-02-30', '0000', '2024-13', 'yesterday', 'ge']) {
        expect((await t.app.inject({ url: url('Observation', ['date', bad]) })).statusCode, bad).toBe(400);
      }
    });
  });

  describe('number and quantity', () => {
    it('number: the precision of the value is its range, prefixes compare', async () => {
      await expectMatches(url('RiskAssessment', ['probability', '0.15']), ['RA1']);
      await expectMatches(url('RiskAssessment', ['probability', '0.6']), ['RA2']);
      // 0.2 means [0.15, 0.25): the lower bound is inclusive.
      await expectMatches(url('RiskAssessment', ['probability', '0.2']), ['RA1']);
      await expectMatches(url('RiskAssessment', ['probability', '0.150']), ['RA1']);
      await expectMatches(url('RiskAssessment', ['probability', 'gt0.5']), ['RA2']);
      await expectMatches(url('RiskAssessment', ['probability', 'le0.62']), ['RA1', 'RA2']);
      await expectMatches(url('RiskAssessment', ['probability', 'lt0.15']), []);
      await expectMatches(url('RiskAssessment', ['probability', 'ne0.15']), ['RA2']);
      // …and the upper bound is not: 0.1 means [0.05, 0.15).
      await expectMatches(url('RiskAssessment', ['probability', '0.1']), []);
    });

    it('number: a value with more digits than a double holds still equals itself', async () => {
      await create('RA3', { resourceType: 'RiskAssessment', status: 'final', subject: { reference: `Patient/${id('P3')}` }, prediction: [{ probabilityDecimal: 1e20 }] });
      await expectMatches(url('RiskAssessment', ['probability', '100000000000000000000']), ['RA3']);
      await expectMatches(url('RiskAssessment', ['probability', 'ge1e20']), ['RA3']);
      expect((await t.app.inject({ url: url('RiskAssessment', ['probability', '1e999']) })).statusCode).toBe(400);
    });

    it('quantity: value, value|system|code, value||code and prefixes', async () => {
      await expectMatches(url('Observation', ['value-quantity', '72']), ['O2']);
      await expectMatches(url('Observation', ['value-quantity', `72|${UCUM}|/min`]), ['O2']);
      await expectMatches(url('Observation', ['value-quantity', '72||/min']), ['O2']);
      await expectMatches(url('Observation', ['value-quantity', `68.5|${UCUM}|kg`]), ['O3']);
      await expectMatches(url('Observation', ['value-quantity', `5.4|${UCUM}|kg`]), []);
      await expectMatches(url('Observation', ['value-quantity', 'gt70']), ['O2']);
      await expectMatches(url('Observation', ['value-quantity', 'lt10']), ['O4', 'O5']);
      await expectMatches(url('Observation', ['value-quantity', 'ge68.5']), ['O2', 'O3']);
      await expectMatches(url('Observation', ['value-quantity', `le6.1|${UCUM}|%`]), ['O5']);
      await expectMatches(url('Observation', ['component-value-quantity', 'gt100']), ['O1']);
      await expectMatches(url('Observation', ['combo-value-quantity', '80']), ['O1']);
      expect((await t.app.inject({ url: url('Observation', ['value-quantity', '72|x']) })).statusCode).toBe(400);
    });
  });

  describe('uri, _id, _lastUpdated and meta', () => {
    it('uri matches the whole uri only', async () => {
      await expectMatches(url('ValueSet', ['url', VS_VITALS]), ['VS1']);
      await expectMatches(url('ValueSet', ['url', 'http://careline.example/fhir/ValueSet']), []);
      await expectMatches(url('ValueSet', ['url', `${VS_VITALS},${VS_LABS}`]), ['VS1', 'VS2']);
    });

    it('_id, one or several', async () => {
      await expectMatches(url('Patient', ['_id', id('P1')]), ['P1']);
      await expectMatches(url('Patient', ['_id', `${id('P1')},${id('P3')}`]), ['P1', 'P3']);
      await expectMatches(url('Patient', ['_id', id('O1')]), []);
    });

    it('_id:not excludes; other modifiers on _id are refused', async () => {
      await expectMatches(url('Patient', ['_id:not', id('P1')]), ['P2', 'P3', 'P4']);
      await expectMatches(url('Patient', ['_id:not', `${id('P1')},${id('P2')}`]), ['P3', 'P4']);
      expect((await t.app.inject({ url: url('Patient', ['_id:exact', id('P1')]) })).statusCode).toBe(400);
    });

    it('_lastUpdated compares the time of the last write', async () => {
      const patients = ['P1', 'P2', 'P3', 'P4'];
      const at = (l: string): string => created.get(l)?.meta.lastUpdated ?? '';
      const pivot = at('P3');
      await expectMatches(url('Patient', ['_lastUpdated', `ge${pivot}`]), patients.filter((p) => at(p) >= pivot));
      await expectMatches(url('Patient', ['_lastUpdated', `lt${pivot}`]), patients.filter((p) => at(p) < pivot));
      await expectMatches(url('Patient', ['_lastUpdated', pivot]), patients.filter((p) => at(p) === pivot));
      await expectMatches(url('Patient', ['_lastUpdated', 'lt2000']), []);
    });

    it('_tag, _profile and _security search meta', async () => {
      await expectMatches(url('Patient', ['_tag', `${TAGS}|pilot`]), ['P1']);
      await expectMatches(url('Patient', ['_tag', 'pilot']), ['P1']);
      await expectMatches(url('Patient', ['_profile', PROFILE]), ['P1']);
      await expectMatches(url('Patient', ['_security', `${CONFIDENTIALITY}|R`]), ['P1']);
      await expectMatches(url('Patient', ['_security', `${CONFIDENTIALITY}|N`]), []);
    });
  });

  describe('combining', () => {
    it('commas are OR within a parameter', async () => {
      await expectMatches(url('Patient', ['family', 'smith,odeg']), ['P2', 'P3', 'P4']);
      await expectMatches(url('Observation', ['code', '8867-4,29463-7']), ['O2', 'O3']);
      await expectMatches(url('Observation', ['date', '2022,2024-04']), ['O3', 'O6']);
    });

    it('repeated parameters are AND', async () => {
      await expectMatches(url('Observation', ['date', 'ge2024-03-01'], ['date', 'lt2024-04-01']), ['O1', 'O2']);
      await expectMatches(url('Patient', ['given', 'ann'], ['family', 'smith']), ['P2']);
      await expectMatches(url('Observation', ['category', 'vital-signs'], ['subject', id('P2')]), ['O3']);
    });

    it('an escaped comma is part of the value', async () => {
      await expectMatches(url('Patient', ['family', 'smith\\,odeg']), []);
    });
  });

  describe('_sort', () => {
    it('by a string, ascending and descending', async () => {
      await expectOrder(url('Patient', ['_sort', 'family']), ['P1', 'P3', 'P2', 'P4']);
      await expectOrder(url('Patient', ['_sort', '-family']), ['P4', 'P2', 'P3', 'P1']);
    });

    it('by a date: earliest start ascending, latest end descending, missing values last', async () => {
      await expectOrder(url('Patient', ['_sort', 'birthdate']), ['P1', 'P3', 'P2', 'P4']);
      await expectOrder(url('Patient', ['_sort', '-birthdate']), ['P3', 'P2', 'P1', 'P4']);
      await expectOrder(url('Observation', ['subject', id('P1')], ['_sort', '-date']), ['O2', 'O1']);
    });

    it('by several keys', async () => {
      await expectOrder(url('Patient', ['_sort', 'gender,-birthdate']), ['P2', 'P4', 'P3', 'P1']);
      await expectOrder(url('Observation', ['category', 'vital-signs,laboratory'], ['_sort', 'category,-value-quantity']), ['O5', 'O4', 'O2', 'O3', 'O1']);
    });

    it('by _id and _lastUpdated', async () => {
      const patients = ['P1', 'P2', 'P3', 'P4'];
      const byId = [...patients].sort((a, b) => (id(a) < id(b) ? -1 : 1));
      await expectOrder(url('Patient', ['_sort', '_id']), byId);
      await expectOrder(url('Patient', ['_sort', '-_id']), [...byId].reverse());
      const at = (l: string): string => created.get(l)?.meta.lastUpdated ?? '';
      // Ties (same millisecond) fall back to the id, ascending.
      const newest = [...patients].sort((a, b) => (at(a) === at(b) ? (id(a) < id(b) ? -1 : 1) : at(a) > at(b) ? -1 : 1));
      await expectOrder(url('Patient', ['_sort', '-_lastUpdated']), newest);
    });

    it('refuses an unknown sort key', async () => {
      expect((await t.app.inject({ url: url('Patient', ['_sort', 'shoe-size']) })).statusCode).toBe(400);
    });
  });

  describe('result shaping', () => {
    it('_count pages; _count=0 answers the total only', async () => {
      const two = await get(url('Observation', ['_count', '2']));
      expect(matched(two)).toHaveLength(2);
      expect(two.link.some((l) => l.relation === 'next')).toBe(true);
      expect(two.total).toBeUndefined();
      const zero = await get(url('Observation', ['_count', '0']));
      expect(zero.entry).toEqual([]);
      expect(zero.total).toBe(7);
      expect((await t.app.inject({ url: url('Observation', ['_count', '-1']) })).statusCode).toBe(400);
      expect((await t.app.inject({ url: url('Observation', ['_count', 'ten']) })).statusCode).toBe(400);
    });

    it('_count above 1000 is capped at 1000', async () => {
      // 1001 small resources in two transactions (a Bundle holds at most 1000 entries).
      const bulk = (n: number): unknown => ({
        resourceType: 'Bundle', type: 'transaction',
        entry: Array.from({ length: n }, () => ({ resource: { resourceType: 'Basic', code: { text: 'bulk' } }, request: { method: 'POST', url: 'Basic' } })),
      });
      for (const n of [1000, 1]) {
        const r = await t.app.inject({ method: 'POST', url: '/fhir/R4', headers: { 'content-type': FHIR }, payload: JSON.stringify(bulk(n)) });
        expect(r.statusCode, r.body).toBe(200);
      }
      const page = await get(url('Basic', ['_count', '5000'], ['_elements', 'code']));
      expect(page.entry).toHaveLength(1000);
      expect(page.link.some((l) => l.relation === 'next')).toBe(true);
      const rest = await get(local(page.link.find((l) => l.relation === 'next')?.url ?? ''));
      expect(rest.entry).toHaveLength(1);
      expect((await get(url('Basic', ['_summary', 'count']))).total).toBe(1001);
    }, 120_000);

    it('_total=accurate counts every match whatever the page size; _summary=count gives only the total', async () => {
      const accurate = await get(url('Observation', ['_count', '2'], ['_total', 'accurate']));
      expect(accurate.total).toBe(7);
      expect(matched(accurate)).toHaveLength(2);
      const filtered = await get(url('Observation', ['category', 'vital-signs'], ['_count', '1'], ['_total', 'accurate']));
      expect(filtered.total).toBe(3);
      const count = await get(url('Observation', ['_summary', 'count']));
      expect(count.total).toBe(7);
      expect(count.entry).toEqual([]);
      expect((await get(url('Observation', ['_summary', 'count'], ['subject', id('P1')]))).total).toBe(2);
      // A search that fits one page knows its total without being asked.
      expect((await get(url('Patient', ['gender', 'female']))).total).toBe(2);
    });

    const subsetted = (r: Resource): boolean => (r.meta.tag ?? []).some((tag) => tag.code === 'SUBSETTED');

    it('_summary=true keeps summary elements and marks the resource SUBSETTED', async () => {
      const b = await get(url('Patient', ['_id', id('P1')], ['_summary', 'true']));
      const p = b.entry[0]?.resource;
      expect(p).toMatchObject({ resourceType: 'Patient', id: id('P1'), birthDate: '1948-03-02', gender: 'male' });
      expect(p?.name).toBeDefined();
      expect(p?.communication).toBeUndefined();
      expect(p && subsetted(p)).toBe(true);
      // The stored resource is untouched.
      const read = (await t.app.inject({ url: `/fhir/R4/Patient/${id('P1')}` })).json<Resource>();
      expect(read.communication).toBeDefined();
      expect(subsetted(read)).toBe(false);
    });

    it('_elements keeps the named elements (and value[x] choices) and marks SUBSETTED', async () => {
      const b = await get(url('Patient', ['_id', id('P1')], ['_elements', 'birthDate']));
      const p = b.entry[0]?.resource;
      expect(Object.keys(p ?? {}).sort()).toEqual(['birthDate', 'id', 'meta', 'resourceType']);
      expect(p && subsetted(p)).toBe(true);
      const o = (await get(url('Observation', ['_id', id('O2')], ['_elements', 'value,status']))).entry[0]?.resource;
      expect(o).toMatchObject({ status: 'final', valueQuantity: { value: 72 } });
      expect(o?.code).toBeUndefined();
      expect((await t.app.inject({ url: url('Patient', ['_elements', 'name.family']) })).statusCode).toBe(400);
    });
  });

  describe('_include and _revinclude', () => {
    it('_include=Observation:subject adds the subject once, marked include', async () => {
      const b = await get(url('Observation', ['subject', id('P1')], ['_include', 'Observation:subject']));
      expect(matched(b).sort()).toEqual(['O1', 'O2']);
      expect(included(b)).toEqual(['P1']);
      const typed = await get(url('Observation', ['code', '85354-9'], ['_include', 'Observation:performer:Practitioner']));
      expect(included(typed)).toEqual(['Pr1']);
      const wrongType = await get(url('Observation', ['code', '85354-9'], ['_include', 'Observation:performer:Organization']));
      expect(included(wrongType)).toEqual([]);
    });

    it('_include:iterate follows references of included resources', async () => {
      const b = await get(url('Provenance', ['target', `Observation/${id('O1')}`], ['_include', 'Provenance:target'], ['_include:iterate', 'Observation:subject']));
      expect(matched(b)).toEqual(['Pv1']);
      expect(included(b)).toEqual(['O1', 'P1']);
      const flat = await get(url('Provenance', ['target', `Observation/${id('O1')}`], ['_include', 'Provenance:target']));
      expect(included(flat)).toEqual(['O1']);
    });

    it('_revinclude=Provenance:target adds what points at the matches', async () => {
      const b = await get(url('Observation', ['_id', `${id('O1')},${id('O2')}`], ['_revinclude', 'Provenance:target']));
      expect(matched(b).sort()).toEqual(['O1', 'O2']);
      expect(included(b)).toEqual(['Pv1']);
    });

    it('refuses an _include that is not Type:referenceParameter', async () => {
      for (const bad of ['Observation', 'Observation:code', 'Patient:general-practitioner', 'Observation:subject:Spaceship']) {
        expect((await t.app.inject({ url: url('Observation', ['_include', bad]) })).statusCode, bad).toBe(400);
      }
    });
  });

  describe('unknown parameters', () => {
    it('answer 400 with an OperationOutcome naming the parameter', async () => {
      const r = await t.app.inject({ url: url('Patient', ['shoe-size', '9']) });
      expect(r.statusCode).toBe(400);
      const oo = r.json<{ resourceType: string; issue: { expression?: string[] }[] }>();
      expect(oo.resourceType).toBe('OperationOutcome');
      expect(oo.issue[0]?.expression).toEqual(['query.shoe-size']);
    });

    it('with Prefer: handling=lenient are ignored and reported in an outcome entry', async () => {
      const b = await get(url('Patient', ['shoe-size', '9'], ['family', 'smith']), { prefer: 'handling=lenient' });
      expect(matched(b).sort()).toEqual(['P2', 'P4']);
      const outcome = b.entry.filter((e) => e.search?.mode === 'outcome');
      expect(outcome).toHaveLength(1);
      expect(outcome[0]?.resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', expression: ['query.shoe-size'] }] });
      // Lenient is about unknown names, not about malformed values of known ones.
      expect((await t.app.inject({ url: url('Patient', ['birthdate', 'soon']), headers: { prefer: 'handling=lenient' } })).statusCode).toBe(400);
    });
  });

  describe('POST _search', () => {
    it('a form body gives the same result as the same query by GET', async () => {
      const pairs: [string, string][] = [['subject', `Patient/${id('P1')}`], ['_sort', '-date'], ['_include', 'Observation:subject']];
      const viaGet = await get(url('Observation', ...pairs));
      const r = await t.app.inject({
        method: 'POST', url: '/fhir/R4/Observation/_search', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(pairs).toString(),
      });
      expect(r.statusCode, r.body).toBe(200);
      const viaPost = r.json<Bundle>();
      expect(viaPost.entry.map(label)).toEqual(viaGet.entry.map(label));
      expect(viaPost.total).toBe(viaGet.total);
      expect(matched(viaPost)).toEqual(['O2', 'O1']);
      // Query string and body together are one search (both AND).
      const mixed = await t.app.inject({
        method: 'POST', url: `/fhir/R4/Observation/_search?category=vital-signs`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'subject=' + id('P2'),
      });
      expect(matched(mixed.json<Bundle>())).toEqual(['O3']);
    });
  });

  describe('paging', () => {
    const link = (b: Bundle, relation: 'next' | 'previous'): string | undefined => {
      const l = b.link.find((x) => x.relation === relation);
      return l ? local(l.url) : undefined;
    };
    /** Follows one relation until it runs out (at most 50 pages); the pages' matches, and the last page. */
    const follow = async (first: string, relation: 'next' | 'previous'): Promise<{ pages: string[][]; last: Bundle }> => {
      const pages: string[][] = [];
      let b = await get(first);
      pages.push(matched(b));
      for (let at = link(b, relation), guard = 0; at && guard < 50; at = link(b, relation), guard++) {
        b = await get(at);
        pages.push(matched(b));
      }
      return { pages, last: b };
    };
    const walk = async (first: string, relation: 'next' | 'previous'): Promise<string[][]> => (await follow(first, relation)).pages;

    it('next links walk forwards through every match once, previous links walk back the same pages', async () => {
      const all = ['O6', 'O5', 'O1', 'O2', 'O3', 'O4', 'O7'];
      await expectOrder(url('Observation', ['_sort', 'date']), all);
      const forwards = await walk(url('Observation', ['_sort', 'date'], ['_count', '2']), 'next');
      expect(forwards).toEqual([['O6', 'O5'], ['O1', 'O2'], ['O3', 'O4'], ['O7']]);

      // From the last page, follow previous links back to the start.
      const { last } = await follow(url('Observation', ['_sort', 'date'], ['_count', '2']), 'next');
      expect(matched(last)).toEqual(['O7']);
      expect(link(last, 'next')).toBeUndefined();
      const prev = link(last, 'previous');
      expect(prev).toBeDefined();
      const back = await follow(prev ?? '', 'previous');
      expect(back.pages).toEqual([['O3', 'O4'], ['O1', 'O2'], ['O6', 'O5']]);
      // The first page, reached backwards, has nothing before it…
      expect(link(back.last, 'previous')).toBeUndefined();
      // …and its next link walks forwards again over the same pages.
      expect(await walk(link(back.last, 'next') ?? '', 'next')).toEqual([['O1', 'O2'], ['O3', 'O4'], ['O7']]);
      // The first page asked for directly has no previous link either.
      expect(link(await get(url('Observation', ['_sort', 'date'], ['_count', '2'])), 'previous')).toBeUndefined();
    });

    it('paging in descending order on a string key and on _id', async () => {
      const pages = await walk(url('Patient', ['_sort', '-family'], ['_count', '1']), 'next');
      expect(pages).toEqual([['P4'], ['P2'], ['P3'], ['P1']]);
      const byId = ['P1', 'P2', 'P3', 'P4'].sort((a, b) => (id(a) < id(b) ? 1 : -1));
      const idPages = await walk(url('Patient', ['_sort', '-_id'], ['_count', '3']), 'next');
      expect(idPages.flat()).toEqual(byId);
      expect(idPages.map((p) => p.length)).toEqual([3, 1]);
    });

    it('the paging links keep the search (filters, sort, count)', async () => {
      const b = await get(url('Observation', ['category', 'vital-signs'], ['_sort', '-date'], ['_count', '1']));
      expect(matched(b)).toEqual(['O3']);
      const next = b.link.find((l) => l.relation === 'next')?.url ?? '';
      expect(next).toContain('category=vital-signs');
      expect(next).toContain('_sort=-date');
      const pages = await walk(local(next), 'next');
      expect(pages).toEqual([['O2'], ['O1']]);
    });

    it('refuses a damaged cursor with 400', async () => {
      for (const bad of ['!!', 'bm90LWpzb24', Buffer.from('[0,"x"]').toString('base64url'), Buffer.from('[1,"not a date","x"]').toString('base64url')]) {
        const r = await t.app.inject({ url: url('Observation', ['_sort', 'date'], ['_cursor', bad]) });
        expect(r.statusCode, bad).toBe(400);
      }
    });
  });
});
