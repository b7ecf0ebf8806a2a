import { z } from 'zod';

/** Kinds of device Careline ingests from (issue #7). Coded in Careline's own system, not guessed SNOMED. */
export const DEVICE_KINDS = ['bp-cuff', 'scale', 'pulse-oximeter', 'glucose-meter', 'cgm', 'thermometer', 'peak-flow-meter', 'uploader-app'] as const;
export const DEVICE_KIND_SYSTEM = 'urn:careline:device-kind';

export const ZEnrollDeviceBody = z
  .object({
    patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>'),
    kind: z.enum(DEVICE_KINDS),
    manufacturer: z.string().trim().min(1).max(100).optional(),
    model: z.string().trim().min(1).max(100).optional(),
    serial: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type TEnrollDeviceBody = z.infer<typeof ZEnrollDeviceBody>;

export const ZEnrolledDevice = z.object({
  device: z.string(),
  /** Bearer token for the webhook and FHIR, shown once. */
  token: z.string(),
  /** For Nightscout uploaders (xDrip+, Loop, AAPS, Trio): base URL and API secret, shown once. */
  nightscout: z.object({ url: z.string(), apiSecret: z.string() }),
});
export type TEnrolledDevice = z.infer<typeof ZEnrolledDevice>;
