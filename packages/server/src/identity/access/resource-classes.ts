import { patientCompartmentTypes } from '../../fhir/definitions/patient-compartment.js';

/**
 * Which resource types each rule of the access policy talks about (see README.md in this folder
 * for the rule table). Patient data is whatever sits in a Patient compartment
 * (https://hl7.org/fhir/R4/compartmentdefinition-patient.html); the sets below name the rest.
 */

/** Clinic-wide, non-patient resources every staff member of the owning clinic may read. */
export const CLINIC_WIDE_TYPES: readonly string[] = [
  'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService', 'Endpoint', 'Schedule', 'Slot',
  'PlanDefinition', 'ActivityDefinition', 'Questionnaire', 'ValueSet', 'CodeSystem', 'ConceptMap', 'Library', 'Medication', 'Device', 'Group',
];

/** What a clinic admin administers (writes): the clinic's structure, people, settings and content. */
export const ADMIN_TYPES: readonly string[] = [
  'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService', 'Endpoint', 'Schedule', 'Slot',
  'PlanDefinition', 'ActivityDefinition', 'Questionnaire', 'ValueSet', 'CodeSystem', 'ConceptMap', 'Library', 'Medication', 'Device', 'CareTeam',
];

/** What an admin may read beyond ADMIN_TYPES: patients' demographics (to manage care teams and grants). */
export const ADMIN_READ_TYPES: readonly string[] = [...ADMIN_TYPES, 'Patient'];

/** Front desk: demographics and scheduling of their clinic, no clinical data. */
export const FRONT_DESK_TYPES: readonly string[] = ['Patient', 'Appointment', 'AppointmentResponse', 'Schedule', 'Slot'];
export const FRONT_DESK_DELETE_TYPES: readonly string[] = ['Appointment', 'AppointmentResponse', 'Schedule', 'Slot'];

/** What a patient (or a caregiver with a read-write grant) authors, always about the patient. */
export const PATIENT_AUTHORED_TYPES: readonly string[] = ['Observation', 'Communication', 'QuestionnaireResponse', 'DocumentReference', 'Media'];

/** Observation categories a patient may report (http://terminology.hl7.org/CodeSystem/observation-category). */
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const PATIENT_OBSERVATION_CATEGORIES: readonly string[] = ['survey', 'vital-signs'];

/** A telepresenter sees, for a patient in an active visit, only what the visit needs. */
export const TELEPRESENTER_READ_TYPES: readonly string[] = ['Patient', 'Encounter', 'Appointment'];

/** Never written through the FHIR API by anyone but the server itself. */
export const SERVER_ONLY_TYPES: readonly string[] = ['AuditEvent'];

/** Nurses chart, message and administer; they do not diagnose or order. */
export const NURSE_TYPES: readonly string[] = [
  'Observation', 'Communication', 'CommunicationRequest', 'Task', 'Flag', 'DocumentReference', 'Media', 'QuestionnaireResponse', 'Encounter',
  'Appointment', 'AppointmentResponse', 'Immunization', 'Procedure', 'AllergyIntolerance', 'MedicationAdministration', 'MedicationStatement', 'CarePlan',
];

let patientDataTypes: readonly string[] | undefined;

/** Clinicians and specialists write any patient data (every Patient-compartment type) but audit records. */
export function clinicalWriteTypes(): readonly string[] {
  patientDataTypes ??= patientCompartmentTypes().filter((t) => !SERVER_ONLY_TYPES.includes(t));
  return patientDataTypes;
}
