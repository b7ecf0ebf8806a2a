import { z } from 'zod';

/** POST /api/monitoring/alerts/:id/notes: what the care team wrote about an alert (plain text). */
export const ZAlertNoteBody = z
  .object({
    text: z
      .string()
      .max(2000)
      .refine((s) => s.trim().length > 0, 'a note needs some text'),
  })
  .strict();
export type TAlertNoteBody = z.infer<typeof ZAlertNoteBody>;

/** One FHIR Annotation of the alert's Task, as the web app shows it. */
export const ZAlertNote = z.object({
  text: z.string(),
  /** `Practitioner/<id>` (or `User/<account>` for a staff account without one). */
  author: z.string().nullable(),
  time: z.string().nullable(),
});
export type TAlertNote = z.infer<typeof ZAlertNote>;

export const ZAlertNotes = z.object({ notes: z.array(ZAlertNote) });
