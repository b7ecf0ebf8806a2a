import type { MonitoringRule } from './rule-contract.js';

/**
 * Default rules per monitoring program; a clinician edits them per patient in the CarePlan.
 * Thresholds follow common practice (ACC/AHA hypertensive-crisis ≥ 180 systolic; HFSA weight gain
 * of ~1 kg in a day or ~2.3 kg (5 lb) in a week; ADA/International Consensus on Time in Range:
 * < 4% of time below 70 mg/dL, any value < 54 mg/dL is level-2 hypoglycaemia).
 */
export type ProgramId = 'hypertension' | 'heart-failure' | 'diabetes-meter' | 'diabetes-cgm' | 'copd-asthma' | 'post-operative';

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const WEIGHT = '29463-7';
const GLUCOSE = '2339-0';
const CGM = '99504-3';
const SPO2 = '59408-5';
const HEART_RATE = '8867-4';
const TEMPERATURE = '8310-5';

const bp: MonitoringRule[] = [
  { id: 'systolic-high', kind: 'absolute', measure: SYSTOLIC, comparator: '>=', value: 180, severity: 'high' },
  { id: 'systolic-low', kind: 'absolute', measure: SYSTOLIC, comparator: '<=', value: 90, severity: 'high' },
  { id: 'diastolic-high', kind: 'absolute', measure: DIASTOLIC, comparator: '>=', value: 120, severity: 'high' },
  { id: 'systolic-sustained', kind: 'sustained', measure: SYSTOLIC, comparator: '>=', value: 160, count: 3, of: 5, severity: 'medium' },
];

export const PROGRAM_DEFAULTS: Readonly<Record<ProgramId, readonly MonitoringRule[]>> = {
  hypertension: [...bp, { id: 'missed', kind: 'missed', days: 3, severity: 'medium' }],
  'heart-failure': [
    ...bp,
    { id: 'weight-day', kind: 'trend', measure: WEIGHT, delta: 1, hours: 24, severity: 'high' },
    { id: 'weight-week', kind: 'trend', measure: WEIGHT, delta: 2.3, hours: 168, severity: 'high' },
    { id: 'heart-rate-high', kind: 'absolute', measure: HEART_RATE, comparator: '>=', value: 120, severity: 'high' },
    { id: 'missed', kind: 'missed', days: 2, severity: 'medium' },
  ],
  'diabetes-meter': [
    { id: 'glucose-very-low', kind: 'absolute', measure: GLUCOSE, comparator: '<', value: 54, severity: 'high' },
    { id: 'glucose-high', kind: 'absolute', measure: GLUCOSE, comparator: '>=', value: 400, severity: 'high' },
    { id: 'missed', kind: 'missed', days: 3, severity: 'medium' },
  ],
  'diabetes-cgm': [
    { id: 'cgm-very-low', kind: 'absolute', measure: CGM, comparator: '<', value: 54, severity: 'high' },
    { id: 'cgm-time-below', kind: 'time-below', measure: CGM, below: 70, percent: 4, days: 14, minReadings: 288, severity: 'medium' },
    { id: 'missed', kind: 'missed', days: 1, severity: 'medium' },
  ],
  'copd-asthma': [
    { id: 'spo2-low', kind: 'absolute', measure: SPO2, comparator: '<=', value: 88, severity: 'high' },
    { id: 'spo2-sustained', kind: 'sustained', measure: SPO2, comparator: '<=', value: 90, count: 3, of: 5, severity: 'medium' },
    { id: 'missed', kind: 'missed', days: 3, severity: 'medium' },
  ],
  'post-operative': [
    { id: 'temperature-high', kind: 'absolute', measure: TEMPERATURE, comparator: '>=', value: 38.3, severity: 'high' },
    { id: 'heart-rate-high', kind: 'absolute', measure: HEART_RATE, comparator: '>=', value: 120, severity: 'high' },
    { id: 'fall', kind: 'fall', severity: 'high' },
    { id: 'missed', kind: 'missed', days: 1, severity: 'medium' },
  ],
};
