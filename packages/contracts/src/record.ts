import { z } from 'zod';
import { ZVitalEvent } from './visits.js';

/**
 * The visit record (issue #6 item 7): the clinician's SOAP note, diagnoses, prescriptions,
 * telepresenter vitals and the after-visit summary. Server: packages/server/src/visits/record.
 *
 * Routes (all under /api/visits/:appointmentId; JSON unless said; errors are OperationOutcome):
 *   GET    /record                       → ZVisitRecord   (staff who may read the visit)
 *   GET    /note                         → ZNote          (draft or signed; version 0 before the first save)
 *   PUT    /note  ZNoteSave (+ If-Match) → ZNote          412 stale version, 409 note-signed
 *   POST   /note/sign                    → ZNote          409 note-signed when already signed
 *   POST   /note/amendments ZAmendmentInput → 201 ZNote   409 conflict before signing
 *   POST   /diagnoses ZDiagnosisInput    → 201 ZDiagnosis; DELETE /diagnoses/:id → 204
 *   POST   /prescriptions ZPrescriptionInput → 201 ZPrescription; DELETE /prescriptions/:id → 204
 *   GET    /prescriptions/:id.pdf        → application/pdf
 *   POST   /vitals ZVitalsInput          → 201 ZVitalsResponse (telepresenter or clinician, visit in progress)
 *   GET    /vitals                       → ZVitalsResponse
 *   GET    /summary                      → ZAfterVisitSummary (404 for the patient until the note is signed)
 *   GET    /summary.pdf                  → application/pdf
 * and GET /api/visits/summaries[?patient=Patient/x] → ZSummaryList (the patient's signed visits, newest first).
 */

/** Text typed by a clinician: Unicode text without control characters other than tab and line breaks. */
const ZClinicalText = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'must not contain control characters');

export const ZSoap = z.object({
  subjective: ZClinicalText(20_000),
  objective: ZClinicalText(20_000),
  assessment: ZClinicalText(20_000),
  plan: ZClinicalText(20_000),
});
export type TSoap = z.infer<typeof ZSoap>;
export const SOAP_SECTIONS = ['subjective', 'objective', 'assessment', 'plan'] as const;
export type TSoapSection = (typeof SOAP_SECTIONS)[number];

export const ZAmendment = z.object({
  id: z.string(),
  text: z.string(),
  author: z.string(),
  date: z.iso.datetime(),
});
export type TAmendment = z.infer<typeof ZAmendment>;

export const ZNote = z.object({
  appointmentId: z.string(),
  /** 'Composition/<id>' once saved. */
  composition: z.string().optional(),
  status: z.enum(['draft', 'signed']),
  /** The Composition's version (If-Match for the next save); 0 before the first save. */
  version: z.number().int().min(0),
  soap: ZSoap,
  updatedAt: z.iso.datetime().optional(),
  signedAt: z.iso.datetime().optional(),
  signedBy: z.string().optional(),
  amendments: z.array(ZAmendment),
  /** Whether the caller may write (the appointment's clinician or a clinician of the care team). */
  canWrite: z.boolean(),
});
export type TNote = z.infer<typeof ZNote>;

/** PUT /note: the whole SOAP text; `version` (or an If-Match header) is the version last seen, 0 for a new note. */
export const ZNoteSave = z.object({ soap: ZSoap, version: z.number().int().min(0).optional() });
export type TNoteSave = z.infer<typeof ZNoteSave>;

export const ZAmendmentInput = z.object({ text: ZClinicalText(20_000).refine((t) => t.trim().length > 0, 'must not be empty') });
export type TAmendmentInput = z.infer<typeof ZAmendmentInput>;

// ---------------------------------------------------------------- diagnoses

export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A short pick list of common telehealth diagnoses (SNOMED CT); anything else is entered as text. */
export const DIAGNOSIS_PICKS = [
  { code: '38341003', display: 'Hypertensive disorder' },
  { code: '44054006', display: 'Diabetes mellitus type 2' },
  { code: '195967001', display: 'Asthma' },
  { code: '13645005', display: 'Chronic obstructive lung disease' },
  { code: '54150009', display: 'Upper respiratory infection' },
  { code: '68566005', display: 'Urinary tract infectious disease' },
  { code: '35489007', display: 'Depressive disorder' },
  { code: '197480006', display: 'Anxiety disorder' },
  { code: '37796009', display: 'Migraine' },
  { code: '279039007', display: 'Low back pain' },
  { code: '61582004', display: 'Allergic rhinitis' },
  { code: '235595009', display: 'Gastroesophageal reflux disease' },
  { code: '84114007', display: 'Heart failure' },
  { code: '840539006', display: 'Disease caused by severe acute respiratory syndrome coronavirus 2' },
] as const;

export const ZDiagnosisInput = z
  .object({
    /** A SNOMED CT code from DIAGNOSIS_PICKS. */
    snomed: z.string().regex(/^\d{6,18}$/).optional(),
    text: z.string().trim().min(1).max(500).optional(),
  })
  .refine((d) => d.snomed !== undefined || d.text !== undefined, { message: 'give a SNOMED CT code or a text', path: ['text'] });
export type TDiagnosisInput = z.input<typeof ZDiagnosisInput>;

export const ZDiagnosis = z.object({
  id: z.string(),
  code: z.object({ system: z.string(), code: z.string(), display: z.string() }).optional(),
  text: z.string(),
  recordedAt: z.iso.datetime(),
});
export type TDiagnosis = z.infer<typeof ZDiagnosis>;

// ---------------------------------------------------------------- prescriptions

/** A short pick list of common medications (RxNorm clinical drugs); anything else is entered as text. */
export const MEDICATION_PICKS = [
  { code: '197361', display: 'amlodipine 5 MG Oral Tablet' },
  { code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
  { code: '860975', display: 'metformin hydrochloride 500 MG Oral Tablet' },
  { code: '308182', display: 'amoxicillin 500 MG Oral Capsule' },
  { code: '197696', display: 'ibuprofen 400 MG Oral Tablet' },
  { code: '313782', display: 'acetaminophen 325 MG Oral Tablet' },
  { code: '745679', display: 'albuterol 0.09 MG/ACTUAT Metered Dose Inhaler' },
  { code: '312938', display: 'sertraline 50 MG Oral Tablet' },
  { code: '198211', display: 'simvastatin 40 MG Oral Tablet' },
  { code: '311995', display: 'nitrofurantoin 100 MG Oral Capsule' },
] as const;

export const ZPrescriptionInput = z
  .object({
    /** An RxNorm code from MEDICATION_PICKS. */
    rxnorm: z.string().regex(/^\d{2,12}$/).optional(),
    medicationText: z.string().trim().min(1).max(300).optional(),
    dosage: z.string().trim().min(1).max(500),
    quantity: z.object({ value: z.number().positive().max(10_000), unit: z.string().trim().min(1).max(40) }),
    refills: z.number().int().min(0).max(12),
    note: z.string().trim().max(500).optional(),
  })
  .refine((p) => p.rxnorm !== undefined || p.medicationText !== undefined, { message: 'give an RxNorm code or a medication name', path: ['medicationText'] });
export type TPrescriptionInput = z.input<typeof ZPrescriptionInput>;

export const ZPrescription = z.object({
  id: z.string(),
  medication: z.object({ rxnorm: z.string().optional(), text: z.string() }),
  dosage: z.string(),
  quantity: z.object({ value: z.number(), unit: z.string() }),
  refills: z.number().int(),
  note: z.string().optional(),
  authoredOn: z.iso.datetime(),
  prescriber: z.string(),
});
export type TPrescription = z.infer<typeof ZPrescription>;

// ---------------------------------------------------------------- vitals

/**
 * POST /vitals: one or more measurements taken now. Blood pressure needs both values. Temperature
 * and weight may be sent in °F / lb; they are stored in Cel / kg (UCUM).
 */
export const ZVitalsInput = z.object({
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  heartRate: z.number().optional(),
  spo2: z.number().optional(),
  temperature: z.number().optional(),
  temperatureUnit: z.enum(['Cel', '[degF]']).default('Cel'),
  weight: z.number().optional(),
  weightUnit: z.enum(['kg', '[lb_av]']).default('kg'),
  respiratoryRate: z.number().optional(),
});
export type TVitalsInput = z.input<typeof ZVitalsInput>;
export const ZVitalsResponse = z.object({ vitals: z.array(ZVitalEvent) });
export type TVitalsResponse = z.infer<typeof ZVitalsResponse>;

// ---------------------------------------------------------------- the record (staff) and the summary (patient)

export const ZBillingFacts = z.object({
  /** CMS place of service: '02' (not at home) or '10' (at home). */
  placeOfService: z.object({ code: z.string(), display: z.string() }).optional(),
  /** CPT modifier: '95' (audio-video) or '93' (audio-only). */
  modifier: z.object({ code: z.string(), display: z.string() }).optional(),
});
export type TBillingFacts = z.infer<typeof ZBillingFacts>;

export const ZVisitEncounter = z.object({
  id: z.string(),
  status: z.string(),
  start: z.iso.datetime().optional(),
  end: z.iso.datetime().optional(),
});

export const ZVisitRecord = z.object({
  appointmentId: z.string(),
  patient: z.object({ reference: z.string(), display: z.string() }),
  /** Absent until the patient is admitted (the room creates the Encounter). */
  encounter: ZVisitEncounter.optional(),
  note: ZNote,
  diagnoses: z.array(ZDiagnosis),
  prescriptions: z.array(ZPrescription),
  vitals: z.array(ZVitalEvent),
  billing: ZBillingFacts,
});
export type TVisitRecord = z.infer<typeof ZVisitRecord>;

export const ZFollowUp = z.object({
  kind: z.enum(['task', 'appointment']),
  /** Task: book between these dates; appointment: its start. */
  from: z.string().optional(),
  to: z.string().optional(),
  start: z.iso.datetime().optional(),
  status: z.string(),
  note: z.string().optional(),
});
export type TFollowUp = z.infer<typeof ZFollowUp>;

export const ZAfterVisitSummary = z.object({
  appointmentId: z.string(),
  date: z.iso.datetime(),
  clinician: z.string(),
  /** False only in a staff preview before the note is signed. */
  signed: z.boolean(),
  signedAt: z.iso.datetime().optional(),
  plan: z.string(),
  amendments: z.array(ZAmendment),
  diagnoses: z.array(z.string()),
  prescriptions: z.array(ZPrescription),
  vitals: z.array(ZVitalEvent),
  followUp: z.array(ZFollowUp),
});
export type TAfterVisitSummary = z.infer<typeof ZAfterVisitSummary>;

export const ZSummaryListItem = z.object({ appointmentId: z.string(), date: z.iso.datetime(), clinician: z.string() });
export const ZSummaryList = z.object({ summaries: z.array(ZSummaryListItem) });
export type TSummaryList = z.infer<typeof ZSummaryList>;
