import type { AccessContext } from '../access/access-policy.js';
import { permissivePolicy } from '../access/access-policy.js';

export const openAccess: AccessContext = { actor: 'test', policy: permissivePolicy };

export function patient(family = 'Núñez', given = 'José', birthDate = '1948-03-02'): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'urn:careline:mrn', value: `MRN-${family}-${given}` }],
    name: [{ family, given: [given] }],
    gender: 'male',
    birthDate,
  };
}

/** A blood-pressure panel (LOINC 85354-9 with systolic 8480-6 and diastolic 8462-4). */
export function bloodPressure(patientId: string, when: string, systolic = 128, diastolic = 82): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }], text: 'Blood pressure' },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: when,
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: diastolic, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    ],
  };
}
