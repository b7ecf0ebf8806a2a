import { randomUUID } from 'node:crypto';
import { auditAgent, type AccessContext, type FhirStore } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { patientClinicFor } from '../devices/enroll-device.js';
import { TimeEntryRepository, type TimeEntryRow } from './time-entry-repository.js';
import type { TTimeEntry, TTimeEntryBody } from './time-entry.types.js';

/** An author may remove their own entry for this long (a mistyped timer); after that it is a record. */
export const DELETE_WINDOW_MS = 24 * 3_600_000;

export function timeEntryView(e: TimeEntryRow, callerAccount: string, now: Date): TTimeEntry {
  return {
    id: e.id, patient: e.patient, practitioner: e.practitioner, start: e.started_at.toISOString(), seconds: e.seconds, interactive: e.interactive,
    note: e.note, createdAt: e.created_at.toISOString(), deletable: e.account_id === callerAccount && now.getTime() - e.created_at.getTime() < DELETE_WINDOW_MS,
  };
}

/** The caller's Practitioner, or 404: time is billed under a practitioner, so only they log it. */
export function practitionerOf(user: UserPrincipal): string {
  if (!user.fhirUser?.startsWith('Practitioner/')) throw new CarelineError('not-found', [{ diagnostics: 'Nothing is here.' }]);
  return user.fhirUser;
}

/**
 * Logs treatment-management time for a patient (stopped timer or manual entry). Only the patient's
 * clinical team may; the practitioner is the caller's, never the body's. Time in the future is
 * refused: it cannot have been spent yet.
 */
export async function logTimeEntry(store: FhirStore, db: Database, audit: AuditLog, ctx: AccessContext, user: UserPrincipal, body: TTimeEntryBody, now = new Date()): Promise<TTimeEntry> {
  const practitioner = practitionerOf(user);
  const organization = await patientClinicFor(store, ctx, user, body.patient);
  const start = new Date(Date.parse(body.start));
  if (start.getTime() + body.seconds * 1000 > now.getTime() + 60_000) {
    throw new CarelineError('validation-failed', [{ diagnostics: 'The entry ends in the future.', expression: ['start'] }]);
  }
  const row = await db.transaction(async (tx) => {
    const inserted = await new TimeEntryRepository(tx).insert({
      id: randomUUID(), patient: body.patient, organization_id: organization, practitioner, account_id: user.accountId,
      started_at: start, seconds: body.seconds, interactive: body.interactive, note: body.note ?? null,
    });
    await audit.access([{ interaction: 'create', outcome: 'success', who: auditAgent(ctx), patients: [body.patient], entity: `monitoring-time-entry/${inserted.id}` }], tx);
    return inserted;
  });
  return timeEntryView(row, user.accountId, now);
}
