import { z } from 'zod';
import { ZWebhookBody } from '../ingest/webhook-contract.js';
import { KINDS, type KindName } from '../ingest/vital-kinds.js';

const PatientRef = z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>');

/**
 * POST /api/monitoring/my-readings: one reading typed in by the patient (or a caregiver with a
 * read-write grant, naming the patient) — the webhook's reading shape without a device id.
 */
export const ZMyReadingBody = z.object({
  reading: ZWebhookBody.shape.readings.element,
  /** Required for a caregiver; a patient may only name themselves. */
  patient: PatientRef.optional(),
});
export type TMyReadingBody = z.infer<typeof ZMyReadingBody>;

const MEASURES = Object.keys(KINDS) as [KindName, ...KindName[]];
export const ZSeriesQuery = z
  .object({
    /** A kind name such as `systolic`, `weight`, `cgm-glucose`. */
    measure: z.enum(MEASURES),
    days: z.coerce.number().pipe(z.union([z.literal(7), z.literal(14), z.literal(30), z.literal(90)])).default(30),
    patient: PatientRef.optional(),
  })
  .strict();

export const ZSeries = z.object({
  patient: z.string(),
  measure: z.string(),
  code: z.string(),
  unit: z.string(),
  points: z.array(z.object({ at: z.string(), value: z.number(), origin: z.enum(['device', 'patient-entered']) })),
  /** The patient's absolute limits for this measure, to draw as target lines. */
  thresholds: z.array(z.object({ rule: z.string(), comparator: z.string(), value: z.number(), severity: z.string() })),
});
export type TSeries = z.infer<typeof ZSeries>;
