import { z } from 'zod';
import { PROGRAMS } from '../use-cases/enroll-patient.types.js';

export const SEVERITIES = ['high', 'medium'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];
export type Program = (typeof PROGRAMS)[number];

const unique = (items: readonly string[]): boolean => new Set(items).size === items.length;

/**
 * GET/PUT /api/monitoring/preferences: which programs and severities the signed-in clinician gets
 * live alerts for, and whether unacknowledged alerts are mailed to them. Lists name what is
 * received; an empty list is allowed (live alerts off; the queue still shows every alert).
 */
export const ZAlertPreferences = z
  .object({
    programs: z.array(z.enum(PROGRAMS)).max(PROGRAMS.length).refine(unique, 'each program at most once'),
    severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).refine(unique, 'each severity at most once'),
    escalationEmail: z.boolean(),
  })
  .strict();
export type AlertPreferences = z.infer<typeof ZAlertPreferences>;

/** Everything on: what a clinician who never chose anything receives. */
export const DEFAULT_PREFERENCES: AlertPreferences = { programs: [...PROGRAMS], severities: [...SEVERITIES], escalationEmail: true };
