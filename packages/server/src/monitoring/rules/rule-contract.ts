import { z } from 'zod';

/**
 * Monitoring rules as stored in a patient's CarePlan (program defaults, editable per patient).
 * A "measure" names what a rule reads: a LOINC code, or for panels the component code
 * (systolic 8480-6 inside the 85354-9 blood-pressure panel).
 */
const LoincCode = z.string().regex(/^\d{1,7}-\d$/, 'a LOINC code such as 8480-6');
const Comparator = z.enum(['>=', '<=', '>', '<']);
export type Comparator = z.infer<typeof Comparator>;

export const ZAbsoluteRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('absolute'),
  measure: LoincCode,
  comparator: Comparator,
  value: z.number(),
  severity: z.enum(['high', 'medium']).default('high'),
});

/** "3 of the last 5 above 160": count readings among the latest `of` that cross the value. */
export const ZSustainedRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('sustained'),
  measure: LoincCode,
  comparator: Comparator,
  value: z.number(),
  count: z.number().int().min(1).max(50),
  of: z.number().int().min(1).max(50),
  severity: z.enum(['high', 'medium']).default('medium'),
}).refine((r) => r.count <= r.of, { message: 'count must not exceed of', path: ['count'] });

/** Rise of at least `delta` within `hours` (heart-failure weight gain: 1 kg/24 h, 2.3 kg/168 h). */
export const ZTrendRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('trend'),
  measure: LoincCode,
  delta: z.number().positive(),
  hours: z.number().positive().max(24 * 31),
  severity: z.enum(['high', 'medium']).default('medium'),
});

/** Share of readings below `below` over `days` (CGM time below 70 mg/dL > 4% over 14 days). */
export const ZTimeBelowRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('time-below'),
  measure: LoincCode,
  below: z.number(),
  percent: z.number().min(0).max(100),
  days: z.number().int().min(1).max(90),
  /** Fewer readings than this in the window says nothing (a sensor just started). */
  minReadings: z.number().int().min(1).default(24),
  severity: z.enum(['high', 'medium']).default('medium'),
});

/** No reading of any monitored measure for `days`. */
export const ZMissedRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('missed'),
  days: z.number().int().min(1).max(60),
  severity: z.enum(['high', 'medium']).default('medium'),
});

/** A fall reported by a device or the patient (SNOMED CT 1912002 "Fall"); every such event alerts. */
export const ZFallRule = z.object({
  id: z.string().min(1).max(64),
  kind: z.literal('fall'),
  severity: z.enum(['high', 'medium']).default('high'),
});

export const ZMonitoringRule = z.union([ZAbsoluteRule, ZSustainedRule, ZTrendRule, ZTimeBelowRule, ZMissedRule, ZFallRule]);
export type MonitoringRule = z.infer<typeof ZMonitoringRule>;
export const ZMonitoringRules = z.array(ZMonitoringRule).max(100).refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { message: 'rule ids must be unique' });
