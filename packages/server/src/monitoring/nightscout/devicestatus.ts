import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DevicePrincipal } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import { NightscoutRepository, type DeviceStatusRow } from './nightscout-repository.js';

/**
 * Nightscout devicestatus (uploader and pump state: battery, reservoir, IOB, COB, loop status) as
 * xDrip+ (`uploaderBattery`), Loop (`loop`, `pump`, `uploader`) and AAPS/Trio (`openaps`, `pump`,
 * `uploaderBattery`) post it. Operational status, not a clinical record: kept in a small table (the
 * newest 288 per device), not in FHIR. Prediction arrays are dropped; a document is kept up to 16 kB.
 */
export const ZDeviceStatus = z.object({ created_at: z.string().max(40).optional(), date: z.number().optional(), device: z.string().max(200).optional() }).loose();
export const ZDeviceStatuses = z.union([ZDeviceStatus, z.array(ZDeviceStatus).max(100)]);
type DeviceStatus = z.infer<typeof ZDeviceStatus>;

const MAX_BYTES = 16_384;
type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Copies a document without prediction arrays (`predBGs`, Loop's `predicted`), the bulk of a status. */
function trimmed(v: unknown, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (Array.isArray(v)) return v.length > 50 ? undefined : v.map((x) => trimmed(x, depth + 1));
  const o = obj(v);
  if (!o) return v;
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'predBGs' && k !== 'predicted').map(([k, x]) => [k, trimmed(x, depth + 1)]));
}

/** The few values Careline reads: uploader and pump battery, reservoir, insulin and carbs on board, loop state. */
export function summarise(s: DeviceStatus): Json {
  const pump = obj(s.pump);
  const openaps = obj(s.openaps);
  const loop = obj(s.loop);
  const iobOf = (v: unknown): number | undefined => num(v) ?? num(obj(v)?.iob);
  const enacted = obj(openaps?.enacted) ?? obj(openaps?.suggested);
  const summary: Json = {
    uploaderBattery: num(s.uploaderBattery) ?? num(obj(s.uploader)?.battery),
    pumpBattery: num(obj(pump?.battery)?.percent) ?? num(obj(pump?.battery)?.voltage),
    reservoir: num(pump?.reservoir),
    iob: iobOf(loop?.iob) ?? iobOf(openaps?.iob) ?? iobOf(obj(pump)?.iob),
    cob: num(obj(loop?.cob)?.cob) ?? num(enacted?.COB),
    loop: loop ? (loop.failureReason ? 'failed' : loop.enacted ? 'enacted' : 'looping') : openaps ? (openaps.enacted ? 'enacted' : 'suggested') : undefined,
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined));
}

export async function postDeviceStatus(db: Database, device: DevicePrincipal, statuses: readonly DeviceStatus[], now = new Date()): Promise<DeviceStatusRow[]> {
  const rows = statuses.map((s): DeviceStatusRow => {
    const t = s.created_at !== undefined ? Date.parse(s.created_at) : (s.date ?? now.getTime());
    let body = trimmed(s) as Json;
    if (Buffer.byteLength(JSON.stringify(body)) > MAX_BYTES) body = { device: s.device, note: 'document over 16 kB; only the summary is kept' };
    return { id: randomUUID(), device: device.device, patient: device.patient, createdAt: new Date(Number.isFinite(t) ? t : now.getTime()), received: now, summary: summarise(s), body };
  });
  await new NightscoutRepository(db).addStatuses(rows);
  return rows;
}

export function statusToNightscout(row: DeviceStatusRow): Json {
  return { ...row.body, _id: row.id, created_at: row.createdAt.toISOString(), mills: row.createdAt.getTime(), careline: row.summary };
}
