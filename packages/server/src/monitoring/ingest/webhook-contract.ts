import { z } from 'zod';
import type { DeviceReading } from './device-reading.js';
import { toCanonical } from './device-reading.js';
import type { KindName } from './vital-kinds.js';

/**
 * The documented JSON webhook for cellular BP cuffs and scales (docs/MONITORING.md):
 *   POST /api/monitoring/webhook   Authorization: Bearer <device credential>
 *   { "readings": [ { "id": "r-1", "type": "blood-pressure", "systolic": 128, "diastolic": 82,
 *                     "pulse": 71, "takenAt": "2026-11-23T08:00:00-07:00" },
 *                   { "id": "r-2", "type": "weight", "value": 182.4, "unit": "lb", "takenAt": "…" } ] }
 * The device and its patient come from the credential; a patient named in a payload is ignored.
 */
const DateTimeWithZone = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 date-time with a time zone, e.g. 2026-11-23T08:00:00-07:00');
const Id = z.string().min(1).max(128).optional();

const ZBloodPressure = z.object({
  id: Id,
  type: z.literal('blood-pressure'),
  systolic: z.number(),
  diastolic: z.number(),
  pulse: z.number().optional(),
  unit: z.enum(['mmHg', 'mm[Hg]']).optional(),
  takenAt: DateTimeWithZone,
});

const SINGLE = ['heart-rate', 'spo2', 'weight', 'temperature', 'respiratory-rate', 'glucose', 'peak-flow'] as const;
const ZSingle = z.object({
  id: Id,
  type: z.enum(SINGLE),
  value: z.number(),
  unit: z.string().max(20).optional(),
  takenAt: DateTimeWithZone,
});

export const ZWebhookBody = z.object({
  readings: z.array(z.discriminatedUnion('type', [ZBloodPressure, ZSingle])).min(1).max(500),
});
export type WebhookBody = z.infer<typeof ZWebhookBody>;

export interface UnitProblem {
  readonly index: number;
  readonly message: string;
}

/** Webhook readings as DeviceReadings in canonical units; a unit Careline cannot convert is a problem. */
/** `sources[i]` is the index in body.readings that readings[i] came from (for error paths). */
export function webhookReadings(body: WebhookBody): { readings: DeviceReading[]; sources: number[]; problems: UnitProblem[] } {
  const readings: DeviceReading[] = [];
  const sources: number[] = [];
  const problems: UnitProblem[] = [];
  body.readings.forEach((r, index) => {
    if (r.type === 'blood-pressure') {
      const values: Partial<Record<KindName, number>> = { systolic: r.systolic, diastolic: r.diastolic };
      readings.push({ kind: 'blood-pressure', values, effective: r.takenAt, ...(r.id === undefined ? {} : { identifier: r.id }) });
      sources.push(index);
      if (r.pulse !== undefined) {
        sources.push(index);
        readings.push({ kind: 'heart-rate', values: { 'heart-rate': r.pulse }, effective: r.takenAt, ...(r.id === undefined ? {} : { identifier: `${r.id}/pulse` }) });
      }
      return;
    }
    const value = toCanonical(r.type, r.value, r.unit);
    if (value === undefined) {
      problems.push({ index, message: `Unit "${r.unit ?? ''}" cannot be used for ${r.type}.` });
      return;
    }
    readings.push({ kind: r.type, values: { [r.type]: value }, effective: r.takenAt, ...(r.id === undefined ? {} : { identifier: r.id }) });
    sources.push(index);
  });
  return { readings, sources, problems };
}
