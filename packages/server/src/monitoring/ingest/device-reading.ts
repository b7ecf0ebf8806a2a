import { CarelineError } from '../../platform/errors/careline-error.js';
import { BP_PANEL, CONVERSIONS, KINDS, LOINC, UCUM, type KindName, type VitalKind } from './vital-kinds.js';

/**
 * One reading as every ingest path (FHIR, Nightscout, webhook, MQTT) normalises it before it
 * becomes a FHIR Observation: the values in canonical units, the device's own time, and the
 * identity that makes a replay land once (device + identifier, or device + code + time).
 */
export interface DeviceReading {
  readonly kind: 'blood-pressure' | KindName;
  /** Canonical-unit values by kind name: blood pressure carries systolic and diastolic (and maybe heart-rate). */
  readonly values: Readonly<Partial<Record<KindName, number>>>;
  /** When the device measured (its clock), as sent with its offset. */
  readonly effective: string;
  /** The device's own id for the reading, when it has one. */
  readonly identifier?: string;
  /** CGM trend arrow from Nightscout uploaders ('Flat', 'FortyFiveUp', …). */
  readonly trend?: string;
}

/** How far ahead of the server's clock a device clock may run before a reading is "from the future". */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Older readings are refused too: an uploader replaying a decade-old backlog is a broken device. */
export const MAX_AGE_MS = 366 * 86_400_000;

export interface ReadingProblem {
  readonly path: string;
  readonly message: string;
}

/** Checks a reading's time and every value's plausibility; returns problems (empty when fine). */
export function checkReading(r: DeviceReading, now: Date, path: string): ReadingProblem[] {
  const problems: ReadingProblem[] = [];
  const t = Date.parse(r.effective);
  if (!Number.isFinite(t)) problems.push({ path: `${path}.effective`, message: `"${r.effective}" is not a date-time with a time zone.` });
  else if (t > now.getTime() + FUTURE_TOLERANCE_MS) problems.push({ path: `${path}.effective`, message: `${r.effective} is in the future (the server's time is ${now.toISOString()}).` });
  else if (t < now.getTime() - MAX_AGE_MS) problems.push({ path: `${path}.effective`, message: `${r.effective} is more than a year old.` });
  const entries = Object.entries(r.values) as [KindName, number][];
  if (entries.length === 0) problems.push({ path, message: 'The reading has no value.' });
  for (const [name, value] of entries) {
    const k: VitalKind = KINDS[name];
    if (!Number.isFinite(value) || value < k.min || value > k.max) {
      problems.push({ path: `${path}.${name}`, message: `${name} ${String(value)} ${k.unit} is implausible (accepted ${String(k.min)}–${String(k.max)} ${k.unit}).` });
    }
  }
  if (r.kind === 'blood-pressure') {
    const { systolic, diastolic } = r.values;
    if (systolic === undefined || diastolic === undefined) problems.push({ path, message: 'A blood-pressure reading needs systolic and diastolic.' });
    else if (diastolic >= systolic) problems.push({ path: `${path}.diastolic`, message: `Diastolic ${String(diastolic)} is not below systolic ${String(systolic)}.` });
  }
  return problems;
}

/** Throws a 400 naming every problem and where it is; nothing of a refused batch is stored. */
export function assertReadings(readings: readonly DeviceReading[], now: Date, pathOf: (i: number) => string): void {
  const problems = readings.flatMap((r, i) => checkReading(r, now, pathOf(i)));
  if (problems.length > 0) {
    throw new CarelineError('validation-failed', problems.slice(0, 20).map((p) => ({ diagnostics: p.message, expression: [p.path] })));
  }
}

/** Converts a value in `unit` to the kind's canonical unit; undefined when the unit is unknown. */
export function toCanonical(kind: KindName, value: number, unit: string | undefined): number | undefined {
  const k = KINDS[kind];
  if (unit === undefined || unit === k.unit || unit === k.ucum) return value;
  const c = CONVERSIONS[unit];
  if (c && (c.to === k.ucum || c.to === k.unit)) return Math.round(c.convert(value) * 100) / 100;
  return undefined;
}

export interface ObservationContext {
  readonly patient: string;
  readonly device: string;
  /** The server's receipt time (Observation.issued). */
  readonly received: Date;
  /** 'device' (transmitted automatically) or 'patient-entered' (typed in the portal): billing counts only device data. */
  readonly origin: 'device' | 'patient-entered';
}

export const READING_ID_SYSTEM = 'urn:careline:device-reading';
export const ORIGIN_TAG_SYSTEM = 'urn:careline:reading-origin';
export const CGM_TREND_EXTENSION = 'urn:careline:extension:cgm-trend';

/**
 * The idempotency key of a reading: its device and the device's identifier, or else its device,
 * code and time (issue #7: a retried or replayed reading is stored once). Stored as an
 * Observation.identifier, so a conditional create on it finds the first copy.
 */
export function readingKey(r: DeviceReading, device: string): string {
  const code = r.kind === 'blood-pressure' ? BP_PANEL.code : KINDS[r.kind].code;
  return r.identifier !== undefined ? `${device}|id|${r.identifier}` : `${device}|${code}|${new Date(Date.parse(r.effective)).toISOString()}`;
}

const quantity = (k: VitalKind, value: number): Record<string, unknown> => ({ value, unit: k.unit, system: UCUM, code: k.ucum });
const category = (code: string): unknown[] => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];

/** The FHIR Observation for a checked reading. */
export function toObservation(r: DeviceReading, ctx: ObservationContext): Record<string, unknown> {
  const base = {
    resourceType: 'Observation',
    meta: { tag: [{ system: ORIGIN_TAG_SYSTEM, code: ctx.origin }] },
    identifier: [{ system: READING_ID_SYSTEM, value: readingKey(r, ctx.device) }],
    status: 'final',
    subject: { reference: ctx.patient },
    effectiveDateTime: r.effective,
    issued: ctx.received.toISOString(),
    // A reading typed in by the patient has no device: `ctx.device` is then its author, whom the
    // access policy records as the performer.
    ...(ctx.origin === 'device' ? { device: { reference: ctx.device } } : {}),
  };
  if (r.kind === 'blood-pressure') {
    const component = (['systolic', 'diastolic'] as const).map((name) => ({
      code: { coding: [{ system: LOINC, code: KINDS[name].code, display: KINDS[name].display }] },
      valueQuantity: quantity(KINDS[name], r.values[name] ?? NaN),
    }));
    return { ...base, category: category('vital-signs'), code: { coding: [{ system: LOINC, ...BP_PANEL }], text: 'Blood pressure' }, component };
  }
  const k: VitalKind = KINDS[r.kind];
  const value = r.values[r.kind];
  return {
    ...base,
    ...(r.trend ? { extension: [{ url: CGM_TREND_EXTENSION, valueCode: r.trend }] } : {}),
    category: category(k.category),
    code: { coding: [{ system: LOINC, code: k.code, display: k.display }], text: k.display },
    valueQuantity: quantity(k, value ?? NaN),
  };
}
