import { auditAgent, type AccessContext } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { DELETE_WINDOW_MS } from './log-time-entry.js';
import { TimeEntryRepository } from './time-entry-repository.js';

/**
 * Removes the caller's own entry within 24 hours of logging it. Someone else's entry answers 404
 * (nothing revealed); the caller's own older entry 409 (it may already have been billed).
 */
export async function deleteTimeEntry(db: Database, audit: AuditLog, ctx: AccessContext, user: UserPrincipal, id: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const repo = new TimeEntryRepository(tx);
    const entry = await repo.byId(id);
    if (!entry || entry.account_id !== user.accountId) throw new CarelineError('not-found', [{ diagnostics: `Time entry ${id} is not known.` }]);
    if (now.getTime() - entry.created_at.getTime() >= DELETE_WINDOW_MS) {
      throw new CarelineError('conflict', [{ diagnostics: 'Entries can be removed within 24 hours of logging them.' }]);
    }
    await repo.softDelete(id, now);
    await audit.access([{ interaction: 'delete', outcome: 'success', who: auditAgent(ctx), patients: [entry.patient], entity: `monitoring-time-entry/${id}` }], tx);
  });
}
