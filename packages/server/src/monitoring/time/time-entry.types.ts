import { z } from 'zod';

const PatientRef = z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>');
const Instant = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 date-time with a time zone');
/** 'YYYY-MM' with a real month (01–12). */
export const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/** POST /api/monitoring/time-entries: a stopped timer or a manual entry. */
export const ZTimeEntryBody = z
  .object({
    patient: PatientRef,
    start: Instant,
    /** Up to 24 hours in one entry; a timer left running overnight is a mistake to correct, not bill. */
    seconds: z.number().int().min(1).max(86_400),
    /** A real-time, two-way (audio or video) exchange with the patient or caregiver (CPT 99457 needs one in the month). */
    interactive: z.boolean(),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type TTimeEntryBody = z.infer<typeof ZTimeEntryBody>;

export const ZTimeEntriesQuery = z.object({ patient: PatientRef, month: ZMonth }).strict();

export const ZTimeEntry = z.object({
  id: z.string(),
  patient: z.string(),
  practitioner: z.string(),
  start: z.string(),
  seconds: z.number(),
  interactive: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /** The caller wrote it and it is under 24 hours old. */
  deletable: z.boolean(),
});
export type TTimeEntry = z.infer<typeof ZTimeEntry>;
