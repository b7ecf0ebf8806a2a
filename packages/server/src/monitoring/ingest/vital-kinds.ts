/**
 * What Careline ingests from devices, with the LOINC codes and UCUM units of issue #7 and the
 * plausible range of each value. A value outside its range is refused with a clear error — never
 * silently stored (a cuff reporting systolic 400 is broken, not a hypertensive crisis).
 */
export interface VitalKind {
  readonly code: string;
  readonly display: string;
  readonly unit: string;
  readonly ucum: string;
  readonly category: 'vital-signs' | 'laboratory';
  readonly min: number;
  readonly max: number;
}

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

export const BP_PANEL = { code: '85354-9', display: 'Blood pressure panel with all children optional' } as const;

export const KINDS = {
  systolic: { code: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', category: 'vital-signs', min: 40, max: 300 },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', category: 'vital-signs', min: 20, max: 200 },
  'heart-rate': { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', category: 'vital-signs', min: 20, max: 300 },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', category: 'vital-signs', min: 50, max: 100 },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', category: 'vital-signs', min: 1, max: 400 },
  temperature: { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel', category: 'vital-signs', min: 25, max: 45 },
  'respiratory-rate': { code: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min', category: 'vital-signs', min: 2, max: 80 },
  glucose: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', category: 'laboratory', min: 10, max: 1000 },
  'cgm-glucose': { code: '99504-3', display: 'Glucose [Mass/volume] in Interstitial fluid', unit: 'mg/dL', ucum: 'mg/dL', category: 'laboratory', min: 39, max: 401 },
  'peak-flow': { code: '19935-6', display: 'Maximum expiratory gas flow Respiratory system airway by Peak flow meter', unit: 'L/min', ucum: 'L/min', category: 'vital-signs', min: 30, max: 1000 },
} as const satisfies Record<string, VitalKind>;

export type KindName = keyof typeof KINDS;

/** Unit conversions accepted at the edge; values are stored in the kind's canonical UCUM unit. */
export const CONVERSIONS: Readonly<Record<string, { readonly to: string; readonly convert: (v: number) => number }>> = {
  lb: { to: 'kg', convert: (v) => v * 0.45359237 },
  '[lb_av]': { to: 'kg', convert: (v) => v * 0.45359237 },
  degF: { to: 'Cel', convert: (v) => ((v - 32) * 5) / 9 },
  '[degF]': { to: 'Cel', convert: (v) => ((v - 32) * 5) / 9 },
  // Glucose molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL.
  'mmol/L': { to: 'mg/dL', convert: (v) => v * 18.016 },
};
