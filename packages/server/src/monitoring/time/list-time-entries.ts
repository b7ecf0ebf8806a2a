import { auditAgent, type AccessContext, type FhirStore } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/database.js';
import { ClinicSettingRepository } from '../billing/clinic-setting-repository.js';
import { localMonth, monthWindow } from '../billing/local-date.js';
import { patientClinicFor } from '../devices/enroll-device.js';
import { timeEntryView } from './log-time-entry.js';
import { TimeEntryRepository } from './time-entry-repository.js';
import type { TTimeEntry } from './time-entry.types.js';

/** A patient's time entries in a calendar month of the clinic's time zone (the month they bill in). */
export async function listTimeEntries(store: FhirStore, db: Database, audit: AuditLog, ctx: AccessContext, user: UserPrincipal, patient: string, month: string, now = new Date()): Promise<{ entries: TTimeEntry[]; seconds: number; timeZone: string }> {
  const organization = await patientClinicFor(store, ctx, user, patient);
  const timeZone = await new ClinicSettingRepository(db).timeZone(organization);
  const { from, to } = monthWindow(month);
  const rows = (await new TimeEntryRepository(db).forPatient(patient, from, to)).filter((e) => localMonth(e.started_at, timeZone) === month);
  await audit.access([{ interaction: 'search-type', outcome: 'success', who: auditAgent(ctx), patients: [patient], entity: 'monitoring-time-entry' }]);
  return { entries: rows.map((e) => timeEntryView(e, user.accountId, now)), seconds: rows.reduce((s, e) => s + e.seconds, 0), timeZone };
}
