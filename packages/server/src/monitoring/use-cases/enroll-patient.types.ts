import { z } from 'zod';
import { ZMonitoringRules } from '../rules/rule-contract.js';

export const PROGRAMS = ['hypertension', 'heart-failure', 'diabetes-meter', 'diabetes-cgm', 'copd-asthma', 'post-operative'] as const;
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a real calendar date');

/** POST /api/monitoring/enrollments: enrol a patient in a program (defaults, or rules edited for them). */
export const ZEnrollBody = z
  .object({
    patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>'),
    program: z.enum(PROGRAMS),
    /** The patient's recorded consent (required for billing, CMS). */
    consentDate: LocalDate.optional(),
    /** Device setup and education (CPT 99453). */
    setupDate: LocalDate.optional(),
    /** Replaces the program's default rules for this patient. */
    rules: ZMonitoringRules.optional(),
  })
  .strict();
export type TEnrollBody = z.infer<typeof ZEnrollBody>;

export const ZEnrollment = z.object({ id: z.string(), carePlan: z.string(), program: z.string(), rules: z.array(z.unknown()) });
