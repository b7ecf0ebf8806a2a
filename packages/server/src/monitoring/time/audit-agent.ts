import type { AccessContext } from '../../fhir/index.js';
import type { AuditAgent } from '../../platform/audit/audit-log.js';

/** The audit agent of a request's access context (identity fills it; a bare actor otherwise). */
export function auditAgent(ctx: AccessContext): AuditAgent {
  return ctx.audit === false || ctx.audit === undefined ? { agent: ctx.actor } : ctx.audit;
}
