import type { FhirStore } from '../../fhir/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { BillingRepository } from './billing-repository.js';
import { buildBillingReport } from './build-billing-report.js';
import type { TBillingReport } from './billing-report.types.js';

/**
 * Closes a month: what the report bills is recorded per patient (codes and billing practitioner),
 * so later reports know 99453 was billed for the episode (CPT: once per episode of care). A month
 * is closed once (409 after); months are closed in order by the clinic, not by Careline.
 */
export async function closeBillingMonth(store: FhirStore, db: Database, organization: string, month: string, by: string, today: string): Promise<TBillingReport> {
  if (month >= today.slice(0, 7)) throw new CarelineError('conflict', [{ diagnostics: `${month} has not ended yet.` }]);
  const report = await buildBillingReport(store, db, organization, month);
  const byPatient = new Map<string, { codes: Set<string>; practitioner: string | null }>();
  for (const r of report.rows) {
    const p = byPatient.get(r.patient) ?? { codes: new Set<string>(), practitioner: r.billingPractitioner };
    for (const c of r.codes) p.codes.add(c.code);
    byPatient.set(r.patient, p);
  }
  const episodes = await new BillingRepository(db).enrollments(organization, report.timeZone);
  const rows = [...byPatient].map(([patient, p]) => ({
    enrollmentId: episodes.find((e) => e.patient === patient)?.id ?? '', patient, billingPractitioner: p.practitioner, codes: [...p.codes].sort(),
  })).filter((r) => r.enrollmentId !== '');
  const closed = await db.transaction(async (tx) => new BillingRepository(tx).close(organization, month, by, rows));
  if (!closed) throw new CarelineError('conflict', [{ diagnostics: `${month} is closed already.` }]);
  return buildBillingReport(store, db, organization, month);
}
