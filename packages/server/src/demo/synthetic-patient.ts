import { ORGANIZATION_TAG_SYSTEM } from '../fhir/index.js';
import { ATORVASTATIN, CVX, HYPERLIPIDEMIA, LOINC, PENICILLIN_ALLERGY, PROGRAMS, RXNORM, SNOMED, UCUM, VITALS, type Medication, type Program, type VitalCode } from './clinical-codes.js';
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE, SPANISH_GIVEN, STREETS, TOWNS } from './demo-names.js';
import type { Prng } from './prng.js';

type Json = Record<string, unknown>;

export interface DemoTeam {
  readonly organizationId: string;
  /** 'Practitioner/<id>' of the patient's primary clinician and nurse. */
  readonly clinician: string;
  readonly nurse: string;
  /** Added to the care team of some patients (e.g. a cardiologist for heart failure). */
  readonly specialist?: string;
}

export interface DemoPatientBundle {
  readonly bundle: Json;
  /** Programs the patient has (the monitoring capability enrols from these). */
  readonly programs: readonly Program['id'][];
  readonly displayName: string;
}

const DAY = 86_400_000;
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/**
 * One synthetic patient with a believable history — problems, medications, allergies, a year of
 * visits and labs, a month of home readings for each monitoring program, an immunization and the
 * care team — as one transaction Bundle (urn:uuid references), every resource tagged with its clinic.
 */
export function syntheticPatient(rng: Prng, index: number, team: DemoTeam, now: Date): DemoPatientBundle {
  const entries: Json[] = [];
  const tag = { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: team.organizationId }] };
  const add = (resource: Json): string => {
    const fullUrl = `urn:uuid:${uuidLike(rng)}`;
    entries.push({ fullUrl, resource: { ...resource, meta: tag }, request: { method: 'POST', url: String(resource.resourceType) } });
    return fullUrl;
  };

  const female = rng.chance(0.55);
  const given = rng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  const family = rng.pick(FAMILY);
  const spanish = SPANISH_GIVEN.has(given) && rng.chance(0.7);
  const age = rng.int(34, 88);
  const birth = new Date(now.getTime() - age * 365.25 * DAY - rng.int(0, 364) * DAY);
  const town = rng.pick(TOWNS);
  const mrn = `DEMO-${String(1000 + index)}`;
  const patient = add({
    resourceType: 'Patient',
    identifier: [{ system: 'urn:careline:mrn', value: mrn }],
    active: true,
    name: [{ use: 'official', family, given: [given] }],
    gender: female ? 'female' : 'male',
    birthDate: isoDate(birth),
    telecom: [
      { system: 'phone', value: `+1-555-01${String(index % 100).padStart(2, '0')}`, use: 'mobile' },
      { system: 'email', value: `${given.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${family.toLowerCase()}.${String(index)}@example.org` },
    ],
    address: [{ line: [`${String(rng.int(10, 9999))} ${rng.pick(STREETS)}`], city: town.city, state: town.state, postalCode: town.postalCode, country: 'US' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: spanish ? 'es' : 'en' }] }, preferred: true }],
  });

  // Older patients carry more chronic conditions; everyone has at least one program.
  const programs: Program[] = [];
  const count = age > 70 ? rng.int(1, 3) : rng.int(1, 2);
  while (programs.length < count) {
    const p = rng.pick(PROGRAMS);
    if (!programs.includes(p) && !(p.id === 'asthma' && programs.some((q) => q.id === 'copd'))) programs.push(p);
  }
  const onset = (years: number): string => isoDate(new Date(now.getTime() - years * 365.25 * DAY));
  for (const p of programs) {
    add(condition(patient, p.condition, onset(rng.int(1, 12))));
    for (const m of p.medications) add(medicationRequest(patient, m, team.clinician, onset(rng.int(0, 3))));
  }
  const lipids = age > 45 && rng.chance(0.5);
  if (lipids) {
    add(condition(patient, HYPERLIPIDEMIA, onset(rng.int(1, 8))));
    add(medicationRequest(patient, ATORVASTATIN, team.clinician, onset(rng.int(0, 4))));
  }
  if (rng.chance(0.2)) {
    add({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      code: { coding: [{ system: SNOMED, ...PENICILLIN_ALLERGY }], text: 'Penicillin' },
      patient: { reference: patient },
      reaction: [{ manifestation: [{ coding: [{ system: SNOMED, code: '271807003', display: 'Eruption of skin' }], text: 'Rash' }] }],
    });
  }

  // A visit every three months or so for a year, video and in person; labs drawn at some.
  for (let months = 12; months > 0; months -= rng.int(2, 4)) {
    const start = new Date(now.getTime() - months * 30 * DAY + rng.int(8, 16) * 3_600_000);
    const video = rng.chance(0.6);
    const encounter = add({
      resourceType: 'Encounter',
      status: 'finished',
      class: video
        ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' }
        : { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      type: [{ text: 'Follow-up visit' }],
      subject: { reference: patient },
      participant: [{ individual: { reference: team.clinician } }],
      period: { start: start.toISOString(), end: new Date(start.getTime() + 20 * 60_000).toISOString() },
      reasonCode: programs.map((p) => ({ coding: [{ system: SNOMED, ...p.condition }] })),
    });
    if (rng.chance(0.5)) {
      const when = start.toISOString();
      if (programs.some((p) => p.id === 'diabetes')) add(lab(patient, encounter, VITALS.hba1c, round(rng.normal(7.4, 0.8), 1), when));
      if (lipids) add(lab(patient, encounter, VITALS.ldl, Math.round(rng.normal(118, 22)), when));
      add(lab(patient, encounter, VITALS.creatinine, round(rng.normal(1.0, 0.2), 2), when));
    }
  }

  // A month of home readings for each monitoring program, around a personal baseline.
  const systolicBase = programs.some((p) => p.id === 'hypertension') ? rng.normal(146, 8) : rng.normal(124, 6);
  const weightBase = rng.normal(female ? 76 : 88, 12);
  for (let d = 30; d >= 1; d--) {
    const at = new Date(now.getTime() - d * DAY + rng.int(6, 9) * 3_600_000 + rng.int(0, 59) * 60_000).toISOString();
    if (programs.some((p) => p.id === 'hypertension' || p.id === 'heart-failure')) {
      const sys = Math.round(rng.normal(systolicBase, 9));
      add(bloodPressure(patient, at, sys, Math.round(sys * 0.62 + rng.normal(0, 4))));
      add(vital(patient, VITALS.heartRate, Math.round(rng.normal(74, 7)), at));
    }
    if (programs.some((p) => p.id === 'heart-failure')) add(vital(patient, VITALS.weight, round(weightBase + (30 - d) * 0.03 + rng.normal(0, 0.4), 1), at));
    if (programs.some((p) => p.id === 'diabetes')) add(vital(patient, VITALS.glucose, Math.round(rng.normal(152, 30)), at));
    if (programs.some((p) => p.id === 'copd')) add(vital(patient, VITALS.spo2, Math.min(100, Math.round(rng.normal(93, 2))), at));
    if (programs.some((p) => p.id === 'asthma') && d % 2 === 0) add(vital(patient, VITALS.peakFlow, Math.round(rng.normal(380, 40)), at));
  }

  add({
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: { coding: [{ system: CVX, code: '158', display: 'influenza, injectable, quadrivalent, contains preservative' }] },
    patient: { reference: patient },
    occurrenceDateTime: isoDate(new Date(now.getTime() - rng.int(20, 200) * DAY)),
  });

  const needsSpecialist = team.specialist !== undefined && programs.some((p) => p.id === 'heart-failure');
  add({
    resourceType: 'CareTeam',
    status: 'active',
    name: 'Primary care team',
    subject: { reference: patient },
    managingOrganization: [{ reference: `Organization/${team.organizationId}` }],
    participant: [
      { role: [{ coding: [{ system: SNOMED, code: '446050000', display: 'Primary care physician' }] }], member: { reference: team.clinician } },
      { role: [{ coding: [{ system: SNOMED, code: '224535009', display: 'Registered nurse' }] }], member: { reference: team.nurse } },
      ...(needsSpecialist && team.specialist ? [{ role: [{ coding: [{ system: SNOMED, code: '17561000', display: 'Cardiologist' }] }], member: { reference: team.specialist } }] : []),
    ],
  });

  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, programs: programs.map((p) => p.id), displayName: `${given} ${family}` };
}

function condition(patient: string, code: { code: string; display: string }, onset: string): Json {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system: SNOMED, ...code }], text: code.display },
    subject: { reference: patient },
    onsetDateTime: onset,
  };
}

function medicationRequest(patient: string, m: Medication, prescriber: string, authored: string): Json {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: m.code, display: m.display }], text: m.display },
    subject: { reference: patient },
    authoredOn: authored,
    requester: { reference: prescriber },
    dosageInstruction: [{ text: m.dosage }],
    dispenseRequest: { numberOfRepeatsAllowed: 3, quantity: { value: 90, unit: 'tablet' } },
  };
}

function quantity(v: VitalCode, value: number): Json {
  return { value, unit: v.unit, system: UCUM, code: v.ucum };
}

function vital(patient: string, v: VitalCode, value: number, at: string): Json {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: v.code, display: v.display }], text: v.display },
    subject: { reference: patient },
    effectiveDateTime: at,
    valueQuantity: quantity(v, value),
  };
}

function lab(patient: string, encounter: string, v: VitalCode, value: number, at: string): Json {
  return {
    ...vital(patient, v, value, at),
    category: [{ coding: [{ system: CATEGORY, code: 'laboratory' }] }],
    encounter: { reference: encounter },
  };
}

function bloodPressure(patient: string, at: string, systolic: number, diastolic: number): Json {
  const mmHg = (value: number): Json => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
    subject: { reference: patient },
    effectiveDateTime: at,
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: mmHg(systolic) },
      { code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: mmHg(diastolic) },
    ],
  };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A v4-shaped UUID from the seeded generator, so bundles are reproducible. */
function uuidLike(rng: Prng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
