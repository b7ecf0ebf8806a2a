import { describe, expect, it } from 'vitest';
import { patientCompartmentParams, patientCompartmentTypes } from './patient-compartment.js';

describe('Patient compartment (R4 CompartmentDefinition patient)', () => {
  it('names the parameters that put a resource in a patient compartment', () => {
    expect(patientCompartmentParams('Observation')).toEqual(['subject', 'performer']);
    expect(patientCompartmentParams('AllergyIntolerance')).toEqual(['patient', 'recorder', 'asserter']);
    expect(patientCompartmentParams('Appointment')).toEqual(['actor']);
    expect(patientCompartmentParams('Patient')).toEqual(['link']);
  });

  it('leaves out types that are never in the compartment', () => {
    expect(patientCompartmentParams('Practitioner')).toEqual([]);
    expect(patientCompartmentParams('Organization')).toEqual([]);
  });

  it('covers the clinical types', () => {
    const types = patientCompartmentTypes();
    expect(types.length).toBeGreaterThanOrEqual(60);
    for (const t of ['Condition', 'Encounter', 'MedicationRequest', 'DiagnosticReport', 'Immunization', 'CarePlan', 'QuestionnaireResponse']) {
      expect(types).toContain(t);
    }
  });
});
