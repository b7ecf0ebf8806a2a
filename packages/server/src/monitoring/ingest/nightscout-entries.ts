import { z } from 'zod';
import type { DeviceReading } from './device-reading.js';
import { CGM_TREND_EXTENSION, READING_ID_SYSTEM } from './device-reading.js';

/**
 * Nightscout API v1 entries (https://github.com/nightscout/cgm-remote-monitor, lib/api/entries),
 * as xDrip+, Loop, AAPS and Trio post them: `type` 'sgv' (sensor glucose, mg/dL), 'mbg' (meter
 * glucose) or 'cal' (calibration), `date` in epoch milliseconds, `dateString` ISO, `direction` the
 * trend arrow, plus uploader-specific fields we keep out of the way (passthrough, never stored
 * beyond what maps to FHIR). Calibrations carry no reading and are acknowledged, not stored.
 */
export const ZNightscoutEntry = z
  .object({
    type: z.string().max(16).optional(),
    sgv: z.number().optional(),
    mbg: z.number().optional(),
    date: z.number().int().positive().optional(),
    dateString: z.string().max(40).optional(),
    direction: z.string().max(32).optional(),
    device: z.string().max(200).optional(),
    identifier: z.string().max(128).optional(),
    _id: z.string().max(128).optional(),
    noise: z.number().optional(),
    utcOffset: z.number().optional(),
  })
  .loose();
export type NightscoutEntry = z.infer<typeof ZNightscoutEntry>;

/** A single entry or an array of them (uploaders send both). */
export const ZNightscoutEntries = z.union([ZNightscoutEntry, z.array(ZNightscoutEntry).max(5000)]);

/**
 * Dexcom-style sensor special values: sgv 1–38 are sensor states ('?NOISE', 'SENSOR NOT ACTIVE'…),
 * not glucose. They are acknowledged and skipped, never stored as readings.
 */
export const SGV_SPECIAL_MAX = 38;

export type EntryOutcome =
  | { readonly kind: 'reading'; readonly reading: DeviceReading }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly message: string };

/** The time of an entry: `date` (ms) wins, else `dateString`; ISO with Z so offsets never drift. */
function entryTime(e: NightscoutEntry): string | undefined {
  if (e.date !== undefined) {
    const d = new Date(e.date);
    return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
  }
  if (e.dateString !== undefined) {
    const t = Date.parse(e.dateString);
    return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
  }
  return undefined;
}

export function entryToReading(e: NightscoutEntry): EntryOutcome {
  const type = e.type ?? (e.sgv !== undefined ? 'sgv' : e.mbg !== undefined ? 'mbg' : undefined);
  if (type === 'cal' || type === 'sensor' || type === 'etf') return { kind: 'skipped', reason: `type ${type} carries no glucose reading` };
  const effective = entryTime(e);
  if (effective === undefined) return { kind: 'invalid', message: 'needs "date" (epoch milliseconds) or "dateString".' };
  const identifier = e.identifier ?? e._id;
  const id = identifier === undefined ? {} : { identifier };
  if (type === 'sgv') {
    if (e.sgv === undefined) return { kind: 'invalid', message: 'an sgv entry needs "sgv".' };
    if (e.sgv >= 1 && e.sgv <= SGV_SPECIAL_MAX) return { kind: 'skipped', reason: `sgv ${String(e.sgv)} is a sensor state code, not glucose` };
    return { kind: 'reading', reading: { kind: 'cgm-glucose', values: { 'cgm-glucose': e.sgv }, effective, ...id, ...(e.direction ? { trend: e.direction } : {}) } };
  }
  if (type === 'mbg') {
    if (e.mbg === undefined) return { kind: 'invalid', message: 'an mbg entry needs "mbg".' };
    return { kind: 'reading', reading: { kind: 'glucose', values: { glucose: e.mbg }, effective, ...id } };
  }
  return { kind: 'invalid', message: `type "${type ?? ''}" is not an entry type Careline stores (sgv, mbg, cal).` };
}

interface StoredObservation {
  id?: string;
  identifier?: { system?: string; value?: string }[];
  code?: { coding?: { code?: string }[] };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number };
  extension?: { url?: string; valueCode?: string }[];
  device?: { display?: string; reference?: string };
}

/** A stored glucose Observation as the Nightscout entry uploaders and followers expect back. */
export function observationToEntry(o: StoredObservation, deviceName: string): Record<string, unknown> | undefined {
  const code = o.code?.coding?.[0]?.code;
  const value = o.valueQuantity?.value;
  const when = o.effectiveDateTime ? Date.parse(o.effectiveDateTime) : NaN;
  if (value === undefined || !Number.isFinite(when) || (code !== '99504-3' && code !== '2339-0')) return undefined;
  const key = o.identifier?.find((i) => i.system === READING_ID_SYSTEM)?.value ?? '';
  const deviceId = key.includes('|id|') ? key.split('|id|')[1] : undefined;
  const direction = o.extension?.find((x) => x.url === CGM_TREND_EXTENSION)?.valueCode;
  const common = { _id: deviceId ?? o.id, date: when, dateString: new Date(when).toISOString(), device: deviceName };
  return code === '99504-3'
    ? { ...common, type: 'sgv', sgv: value, ...(direction ? { direction } : {}) }
    : { ...common, type: 'mbg', mbg: value };
}
