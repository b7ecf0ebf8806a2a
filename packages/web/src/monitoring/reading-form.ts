import type { TMyReading } from '../api/monitoring-api';

/** The readings a patient can type in (the server's webhook types). */
export const READING_TYPES = ['blood-pressure', 'weight', 'glucose', 'spo2', 'heart-rate', 'temperature'] as const;
export type ReadingType = (typeof READING_TYPES)[number];

export const UNITS: Readonly<Record<ReadingType, readonly string[]>> = {
  'blood-pressure': ['mmHg'],
  weight: ['kg', 'lb'],
  glucose: ['mg/dL', 'mmol/L'],
  spo2: ['%'],
  'heart-rate': ['beats/minute'],
  temperature: ['Cel', 'degF'],
};

export interface ReadingFormValues {
  readonly type: ReadingType;
  readonly systolic: string;
  readonly diastolic: string;
  readonly pulse: string;
  readonly value: string;
  readonly unit: string;
  /** `<input type="datetime-local">`: YYYY-MM-DDTHH:MM in the device's time zone. */
  readonly takenAt: string;
}

export type ReadingField = 'systolic' | 'diastolic' | 'pulse' | 'value' | 'takenAt';
export type ReadingProblem = 'required' | 'number' | 'range' | 'order' | 'future' | 'old';
export interface ReadingCheck {
  readonly reading?: TMyReading;
  readonly errors: Partial<Record<ReadingField, { readonly problem: ReadingProblem; readonly min?: number; readonly max?: number }>>;
}

/**
 * Plausible ranges in the unit the patient typed: the server's limits
 * (packages/server/src/monitoring/ingest/vital-kinds.ts) converted, so the form refuses what the
 * server would, with a message next to the field instead of an error after sending.
 */
export const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  systolic: [40, 300],
  diastolic: [20, 200],
  pulse: [20, 300],
  'heart-rate:beats/minute': [20, 300],
  'spo2:%': [50, 100],
  'weight:kg': [1, 400],
  'weight:lb': [2.3, 881],
  'glucose:mg/dL': [10, 1000],
  'glucose:mmol/L': [0.6, 55.5],
  'temperature:Cel': [25, 45],
  'temperature:degF': [77, 113],
};

/** A number as people type it in English or Spanish ("72.5" or "72,5"); NaN for anything else. */
export function parseDecimal(input: string): number {
  const s = input.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

const YEAR_MS = 365 * 86_400_000;
const SKEW_MS = 5 * 60_000;

/** Checks the form and builds the reading to send; `errors` names each field with its problem. */
export function checkReading(v: ReadingFormValues, now: Date): ReadingCheck {
  const errors: ReadingCheck['errors'] = {};
  const num = (field: ReadingField, raw: string, range: readonly [number, number] | undefined, optional = false): number | undefined => {
    if (raw.trim() === '') {
      if (!optional) errors[field] = { problem: 'required' };
      return undefined;
    }
    const n = parseDecimal(raw);
    if (!Number.isFinite(n)) {
      errors[field] = { problem: 'number' };
      return undefined;
    }
    if (range && (n < range[0] || n > range[1])) {
      errors[field] = { problem: 'range', min: range[0], max: range[1] };
      return undefined;
    }
    return n;
  };

  let takenAt: string | undefined;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v.takenAt) ? new Date(v.takenAt) : undefined;
  if (!v.takenAt) errors.takenAt = { problem: 'required' };
  else if (!at || Number.isNaN(at.getTime())) errors.takenAt = { problem: 'number' };
  else if (at.getTime() > now.getTime() + SKEW_MS) errors.takenAt = { problem: 'future' };
  else if (at.getTime() < now.getTime() - YEAR_MS) errors.takenAt = { problem: 'old' };
  else takenAt = at.toISOString();

  if (v.type === 'blood-pressure') {
    const systolic = num('systolic', v.systolic, RANGES.systolic);
    const diastolic = num('diastolic', v.diastolic, RANGES.diastolic);
    const pulse = num('pulse', v.pulse, RANGES.pulse, true);
    if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic) errors.diastolic = { problem: 'order' };
    if (Object.keys(errors).length > 0 || systolic === undefined || diastolic === undefined || !takenAt) return { errors };
    return { errors, reading: { type: 'blood-pressure', systolic, diastolic, ...(pulse === undefined ? {} : { pulse }), takenAt } };
  }
  const unit = UNITS[v.type].includes(v.unit) ? v.unit : (UNITS[v.type][0] ?? '');
  const value = num('value', v.value, RANGES[`${v.type}:${unit}`]);
  if (Object.keys(errors).length > 0 || value === undefined || !takenAt) return { errors };
  return { errors, reading: { type: v.type, value, unit, takenAt } };
}

/** The current minute as a datetime-local value in the device's zone (the form's default). */
export function localMinute(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear())}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
