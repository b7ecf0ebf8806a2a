import { z } from 'zod';

/** Contracts of the admin audit report (GET /api/admin/audit) and a patient's access log (GET /api/me/access-log). */

export const ZAuditReportItem = z.object({
  seq: z.number(),
  id: z.string(),
  recorded: z.string(),
  action: z.string(),
  kind: z.string(),
  outcome: z.number(),
  agent: z.string().nullable(),
  patients: z.array(z.string()),
  organization: z.string().nullable(),
  /** The FHIR AuditEvent as recorded. */
  event: z.record(z.string(), z.unknown()),
});
export type TAuditReportItem = z.infer<typeof ZAuditReportItem>;

export const ZAuditReportPage = z.object({
  items: z.array(ZAuditReportItem),
  /** Pass as `cursor` for the next page; absent on the last page. */
  next: z.string().optional(),
});
export type TAuditReportPage = z.infer<typeof ZAuditReportPage>;

export const ZAccessLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const ZAccessLogEntry = z.object({
  recorded: z.string(),
  /** Who: 'User/<id>', 'Client/<id>' or 'system:<job>' (null when unknown). */
  agent: z.string().nullable(),
  /** The role they acted in, when known. */
  role: z.string().nullable(),
  /** C R U D E */
  action: z.string(),
  /** What they did: 'read', 'search-type', 'update', 'everything', 'break-the-glass', … */
  kind: z.string(),
  outcome: z.enum(['success', 'failure']),
});
export type TAccessLogEntry = z.infer<typeof ZAccessLogEntry>;

export const ZAccessLogPage = z.object({ items: z.array(ZAccessLogEntry), next: z.string().optional() });
export type TAccessLogPage = z.infer<typeof ZAccessLogPage>;

export const ZVerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number(),
  unsealed: z.number(),
  firstBreak: z.object({ seq: z.number(), id: z.string(), chainPos: z.number(), reason: z.enum(['altered', 'missing', 'relinked']) }).optional(),
});
