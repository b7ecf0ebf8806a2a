/**
 * The coded facts demo histories are built from: SNOMED CT problems, RxNorm medications, LOINC
 * observations with UCUM units (the same codes the monitoring capability ingests, issue #7).
 */
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const CVX = 'http://hl7.org/fhir/sid/cvx';

export type ProgramId = 'hypertension' | 'diabetes' | 'heart-failure' | 'copd' | 'asthma';

export interface Medication {
  readonly code: string;
  readonly display: string;
  readonly dosage: string;
}

export interface Program {
  readonly id: ProgramId;
  readonly condition: { readonly code: string; readonly display: string };
  readonly medications: readonly Medication[];
}

export const PROGRAMS: readonly Program[] = [
  {
    id: 'hypertension',
    condition: { code: '38341003', display: 'Hypertensive disorder' },
    medications: [
      { code: '314076', display: 'lisinopril 10 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' },
      { code: '197361', display: 'amlodipine 5 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' },
    ],
  },
  {
    id: 'diabetes',
    condition: { code: '44054006', display: 'Diabetes mellitus type 2' },
    medications: [{ code: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet', dosage: 'Take 1 tablet by mouth twice daily with meals' }],
  },
  {
    id: 'heart-failure',
    condition: { code: '84114007', display: 'Heart failure' },
    medications: [
      { code: '310429', display: 'furosemide 40 MG Oral Tablet', dosage: 'Take 1 tablet by mouth every morning' },
      { code: '866924', display: 'metoprolol succinate 25 MG Extended Release Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' },
    ],
  },
  {
    id: 'copd',
    condition: { code: '13645005', display: 'Chronic obstructive lung disease' },
    medications: [{ code: '1536862', display: 'tiotropium 2.5 MCG/ACTUAT Inhalation Spray', dosage: 'Inhale 2 puffs once daily' }],
  },
  {
    id: 'asthma',
    condition: { code: '195967001', display: 'Asthma' },
    medications: [{ code: '745679', display: 'albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', dosage: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing' }],
  },
];

export const HYPERLIPIDEMIA = { code: '55822004', display: 'Hyperlipidemia' };
export const ATORVASTATIN: Medication = { code: '617312', display: 'atorvastatin 20 MG Oral Tablet', dosage: 'Take 1 tablet by mouth at bedtime' };
export const PENICILLIN_ALLERGY = { code: '91936005', display: 'Allergy to penicillin' };

export interface VitalCode {
  readonly code: string;
  readonly display: string;
  readonly unit: string;
  readonly ucum: string;
}

export const VITALS = {
  heartRate: { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min' },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg' },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%' },
  glucose: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL' },
  peakFlow: { code: '19935-6', display: 'Maximum expiratory gas flow Respiratory system airway by Peak flow meter', unit: 'L/min', ucum: 'L/min' },
  hba1c: { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', ucum: '%' },
  ldl: { code: '18262-6', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', unit: 'mg/dL', ucum: 'mg/dL' },
  creatinine: { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL' },
} as const satisfies Record<string, VitalCode>;
