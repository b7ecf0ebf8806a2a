import { z } from 'zod';
import { ZMonth } from '../time/time-entry.types.js';

export const ZBillingQuery = z
  .object({
    month: ZMonth,
    /** The clinic, when the caller administers or works in several. */
    organization: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(),
    format: z.enum(['json', 'csv', 'pdf']).default('json'),
  })
  .strict();
export type TBillingQuery = z.infer<typeof ZBillingQuery>;

export const ZBillingRow = z.object({
  patient: z.string(),
  /** Family, given — the billing office needs to know whom a claim is for. */
  name: z.string(),
  program: z.string(),
  /** The device period reported on this row (null: no period ends this month; time only). */
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  deviceDays: z.number(),
  /** Treatment-management time in the calendar month, whole seconds and m:ss. */
  managementSeconds: z.number(),
  managementTime: z.string(),
  interactiveContact: z.boolean(),
  consentDate: z.string().nullable(),
  setupDate: z.string().nullable(),
  billingPractitioner: z.string().nullable(),
  codes: z.array(z.object({ code: z.string(), units: z.number() })),
  notes: z.array(z.string()),
});
export type TBillingRow = z.infer<typeof ZBillingRow>;

export const ZBillingReport = z.object({
  organization: z.string(),
  clinicName: z.string(),
  month: z.string(),
  timeZone: z.string(),
  closed: z.object({ at: z.string(), by: z.string() }).nullable(),
  rows: z.array(ZBillingRow),
  /** Units per CPT code over the clinic, and how many patients bill anything. */
  totals: z.object({ patients: z.number(), billablePatients: z.number(), codes: z.record(z.string(), z.number()) }),
});
export type TBillingReport = z.infer<typeof ZBillingReport>;
