import type { TVitalsInput } from '@careline/contracts';

/** The vitals form as typed (strings, so a half-typed "37," is not lost) and its units. */
export interface VitalsFormValues {
  readonly systolic: string;
  readonly diastolic: string;
  readonly heartRate: string;
  readonly spo2: string;
  readonly temperature: string;
  readonly temperatureUnit: 'Cel' | '[degF]';
  readonly weight: string;
  readonly weightUnit: 'kg' | '[lb_av]';
  readonly respiratoryRate: string;
}
export const NUMERIC_FIELDS = ['systolic', 'diastolic', 'heartRate', 'spo2', 'temperature', 'weight', 'respiratoryRate'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export type FieldError = 'notANumber' | 'bothBp' | 'empty';

export const EMPTY_VITALS: VitalsFormValues = { systolic: '', diastolic: '', heartRate: '', spo2: '', temperature: '', temperatureUnit: 'Cel', weight: '', weightUnit: 'kg', respiratoryRate: '' };

/** A decimal as people type it: "37.5" or "37,5" (Spanish), nothing else. */
export function parseDecimal(text: string): number | undefined | null {
  const s = text.trim();
  if (s === '') return undefined;
  if (!/^\d{1,4}(?:[.,]\d{1,2})?$/.test(s)) return null;
  return Number(s.replace(',', '.'));
}

/**
 * Form → request body, or the errors to show beside each field. Plausibility (ranges) is the
 * server's: it answers 400 naming the field, and the form shows that message.
 */
export function vitalsBody(v: VitalsFormValues): { body: TVitalsInput } | { errors: Partial<Record<NumericField | 'form', FieldError>> } {
  const errors: Partial<Record<NumericField | 'form', FieldError>> = {};
  const body: { [K in NumericField]?: number } = {};
  for (const f of NUMERIC_FIELDS) {
    const n = parseDecimal(v[f]);
    if (n === null) errors[f] = 'notANumber';
    else if (n !== undefined) body[f] = n;
  }
  if ((body.systolic === undefined) !== (body.diastolic === undefined) && !errors.systolic && !errors.diastolic) {
    errors[body.systolic === undefined ? 'systolic' : 'diastolic'] = 'bothBp';
  }
  if (Object.keys(body).length === 0 && Object.keys(errors).length === 0) errors.form = 'empty';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: { ...body, ...(body.temperature !== undefined ? { temperatureUnit: v.temperatureUnit } : {}), ...(body.weight !== undefined ? { weightUnit: v.weightUnit } : {}) },
  };
}
