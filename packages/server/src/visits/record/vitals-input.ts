import type { ZVitalsInput } from '@careline/contracts';
import type { z } from 'zod';
import { checkReading, toCanonical, type DeviceReading } from '../../monitoring/ingest/device-reading.js';
import type { KindName } from '../../monitoring/ingest/vital-kinds.js';

export type VitalsInput = z.output<typeof ZVitalsInput>;

/** The fields of the vitals form, each one kind of monitoring/ingest (same LOINC, UCUM and plausible range). */
export const FIELD_KINDS = {
  heartRate: 'heart-rate',
  spo2: 'spo2',
  temperature: 'temperature',
  weight: 'weight',
  respiratoryRate: 'respiratory-rate',
} as const satisfies Partial<Record<keyof VitalsInput, KindName>>;

export interface VisitReading {
  readonly kind: 'blood-pressure' | KindName;
  /** Canonical-unit values by kind name (blood pressure: systolic and diastolic). */
  readonly values: Readonly<Partial<Record<KindName, number>>>;
}

export interface VitalsProblem {
  /** The input field at fault, e.g. `systolic`, `temperature`. */
  readonly expression: string;
  readonly message: string;
}

export interface ParsedVitals {
  readonly readings: readonly VisitReading[];
  readonly problems: readonly VitalsProblem[];
}

const FIELD_OF_KIND: Readonly<Partial<Record<KindName, string>>> = {
  systolic: 'systolic', diastolic: 'diastolic', ...Object.fromEntries(Object.entries(FIELD_KINDS).map(([f, k]) => [k, f])),
};

/**
 * The telepresenter's form → readings in canonical UCUM units, with every implausible or incomplete
 * value named by its field. The limits are monitoring's (a reading a device may not send, a person
 * may not type either). Nothing is stored when there is any problem.
 */
export function parseVitals(input: VitalsInput, now: Date): ParsedVitals {
  const readings: VisitReading[] = [];
  const problems: VitalsProblem[] = [];
  const effective = now.toISOString();
  const check = (r: VisitReading, field: string): void => {
    for (const p of checkReading({ ...r, effective } satisfies DeviceReading, now, '')) {
      const kind = p.path.replace(/^\./, '') as KindName | '';
      problems.push({ expression: kind === '' ? field : (FIELD_OF_KIND[kind] ?? field), message: p.message });
    }
  };
  const { systolic, diastolic } = input;
  if (systolic !== undefined || diastolic !== undefined) {
    if (systolic === undefined || diastolic === undefined) {
      problems.push({ expression: systolic === undefined ? 'systolic' : 'diastolic', message: 'A blood pressure needs both systolic and diastolic values.' });
    } else {
      const bp: VisitReading = { kind: 'blood-pressure', values: { systolic, diastolic } };
      readings.push(bp);
      check(bp, 'systolic');
    }
  }
  for (const [field, kind] of Object.entries(FIELD_KINDS) as [keyof typeof FIELD_KINDS, KindName][]) {
    const raw = input[field];
    if (raw === undefined) continue;
    const unit = field === 'temperature' ? input.temperatureUnit : field === 'weight' ? input.weightUnit : undefined;
    const value = toCanonical(kind, raw, unit);
    if (value === undefined) {
      problems.push({ expression: `${field}Unit`, message: `${String(unit)} is not a unit for ${field}.` });
      continue;
    }
    const r: VisitReading = { kind, values: { [kind]: value } };
    readings.push(r);
    check(r, field);
  }
  if (readings.length === 0 && problems.length === 0) problems.push({ expression: 'body', message: 'Enter at least one measurement.' });
  return { readings: problems.length > 0 ? [] : readings, problems };
}
