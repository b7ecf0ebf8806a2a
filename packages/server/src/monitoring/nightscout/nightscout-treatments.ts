import { z } from 'zod';
import type { DeviceReading } from '../ingest/device-reading.js';
import { ORIGIN_TAG_SYSTEM, toCanonical } from '../ingest/device-reading.js';
import { LOINC, UCUM } from '../ingest/vital-kinds.js';

/**
 * Nightscout API v1 treatments (cgm-remote-monitor lib/api/treatments) as xDrip+, Loop, AAPS and
 * Trio post them: `eventType` ('BG Check', 'Meal Bolus', 'Correction Bolus', 'Carb Correction',
 * 'Note', 'Temp Basal', 'Site Change', …), `created_at` ISO, and by type `glucose` + `glucoseType`
 * + `units`, `carbs` (g), `insulin` (U), `notes`, `enteredBy`. Fields map to FHIR, not event types:
 *  - a BG Check's glucose → a glucose reading (LOINC 2339-0) through the reading ingest;
 *  - carbs > 0 → Observation LOINC 9059-7 (g), patient-entered;
 *  - insulin > 0 → MedicationAdministration of insulin (text-coded: uploaders do not say which product);
 *  - a Note / Announcement / Question with text and nothing else → Communication from the device.
 * Everything else (temp basals, site changes, profile switches, targets) is kept for GET only.
 */
export const ZTreatment = z
  .object({
    _id: z.string().max(128).optional(),
    identifier: z.string().max(128).optional(),
    eventType: z.string().min(1).max(64).default('<none>'),
    created_at: z.string().max(40).optional(),
    date: z.number().int().positive().optional(),
    mills: z.number().int().positive().optional(),
    timestamp: z.union([z.string().max(40), z.number()]).optional(),
    glucose: z.union([z.number(), z.string().max(16)]).optional(),
    glucoseType: z.string().max(32).optional(),
    units: z.string().max(16).optional(),
    carbs: z.number().min(0).max(1000).nullish(),
    insulin: z.number().min(0).max(100).nullish(),
    insulinType: z.string().max(64).optional(),
    notes: z.string().max(2000).optional(),
    enteredBy: z.string().max(200).optional(),
    duration: z.number().optional(),
    absolute: z.number().optional(),
    rate: z.number().optional(),
    percent: z.number().optional(),
    reason: z.string().max(200).optional(),
  })
  .loose();
export type Treatment = z.infer<typeof ZTreatment>;
export const ZTreatments = z.union([ZTreatment, z.array(ZTreatment).max(1000)]);

/** The Nightscout fields kept for GET (others, such as AAPS's pump ids, are not stored). */
const KEPT = ['eventType', 'glucose', 'glucoseType', 'units', 'carbs', 'insulin', 'insulinType', 'notes', 'enteredBy', 'duration', 'absolute', 'rate', 'percent', 'reason'] as const;

export function treatmentTime(t: Treatment): string | undefined {
  const candidates: (string | number | undefined)[] = [t.created_at, t.date, t.mills, t.timestamp];
  for (const c of candidates) {
    if (c === undefined) continue;
    const ms = typeof c === 'number' ? c : Date.parse(c);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return undefined;
}

/** Idempotency: the uploader's id, else its event type and time (issue #7). */
export function treatmentKey(t: Treatment, device: string, at: string): string {
  const id = t.identifier ?? t._id;
  return id !== undefined ? `${device}|ns-treatment|id|${id}` : `${device}|ns-treatment|${t.eventType}|${at}`;
}

export function keptBody(t: Treatment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEPT) if (t[k] !== undefined && t[k] !== null) out[k] = t[k];
  return out;
}

/**
 * Who measured a BG Check. Nightscout cannot say whether a meter value was typed or forwarded, so
 * Careline counts it as device data only when the uploader marks it as read by a device (a sensor
 * value, or a meter-link source in `enteredBy`); otherwise it is patient-entered and never counts
 * as a device day for billing.
 */
export function bgCheckOrigin(t: Treatment): 'device' | 'patient-entered' {
  if (t.glucoseType?.toLowerCase() === 'sensor') return 'device';
  return /meter|bluetooth|contour|accu-?chek|glucomen|verio/i.test(t.enteredBy ?? '') ? 'device' : 'patient-entered';
}

export type BgOutcome = { readonly reading: DeviceReading } | { readonly problem: string } | undefined;

/** A BG Check's glucose in mg/dL (Nightscout `units`: 'mg/dl' or 'mmol'), or a problem. */
export function bgCheckReading(t: Treatment, at: string, key: string): BgOutcome {
  if (t.eventType !== 'BG Check' || t.glucose === undefined) return undefined;
  const raw = typeof t.glucose === 'number' ? t.glucose : Number(t.glucose);
  if (!Number.isFinite(raw)) return { problem: `"glucose" ${JSON.stringify(t.glucose)} is not a number.` };
  const unit = (t.units ?? 'mg/dl').toLowerCase();
  const value = unit.startsWith('mmol') ? toCanonical('glucose', raw, 'mmol/L') : unit === 'mg/dl' ? raw : undefined;
  if (value === undefined) return { problem: `"units" ${JSON.stringify(t.units)} is not mg/dl or mmol.` };
  return { reading: { kind: 'glucose', values: { glucose: value }, effective: at, identifier: key } };
}

export interface TreatmentContext {
  readonly patient: string;
  readonly device: string;
  readonly organizationTag: { readonly system: string; readonly code: string };
  readonly received: Date;
}

/** The FHIR resources for a treatment's carbs, insulin and note (its BG Check goes through the reading ingest). */
export function treatmentResources(t: Treatment, at: string, key: string, ctx: TreatmentContext): Record<string, unknown>[] {
  const identifier = [{ system: 'urn:careline:nightscout-treatment', value: key }];
  const meta = (origin?: string): Record<string, unknown> => ({ tag: [ctx.organizationTag, ...(origin ? [{ system: ORIGIN_TAG_SYSTEM, code: origin }] : [])] });
  const out: Record<string, unknown>[] = [];
  if (t.carbs !== undefined && t.carbs !== null && t.carbs > 0) {
    out.push({
      resourceType: 'Observation',
      meta: meta('patient-entered'),
      identifier,
      status: 'final',
      code: { coding: [{ system: LOINC, code: '9059-7', display: 'Carbohydrate intake Estimated' }], text: 'Carbohydrates' },
      subject: { reference: ctx.patient },
      effectiveDateTime: at,
      issued: ctx.received.toISOString(),
      device: { reference: ctx.device },
      valueQuantity: { value: t.carbs, unit: 'g', system: UCUM, code: 'g' },
    });
  }
  if (t.insulin !== undefined && t.insulin !== null && t.insulin > 0) {
    out.push({
      resourceType: 'MedicationAdministration',
      meta: meta(),
      identifier,
      status: 'completed',
      medicationCodeableConcept: { text: t.insulinType ? `Insulin (${t.insulinType})` : 'Insulin' },
      subject: { reference: ctx.patient },
      effectiveDateTime: at,
      device: [{ reference: ctx.device }],
      note: [{ text: `Nightscout ${t.eventType}${t.enteredBy ? `, entered by ${t.enteredBy}` : ''}` }],
      dosage: { dose: { value: t.insulin, unit: 'U', system: UCUM, code: '[iU]' } },
    });
  }
  const note = t.notes?.trim();
  if (out.length === 0 && note && ['Note', 'Announcement', 'Question'].includes(t.eventType)) {
    out.push({
      resourceType: 'Communication',
      meta: meta(),
      identifier,
      status: 'completed',
      category: [{ text: `Nightscout ${t.eventType}` }],
      subject: { reference: ctx.patient },
      sent: at,
      sender: { reference: ctx.device },
      payload: [{ contentString: note }],
    });
  }
  return out;
}
