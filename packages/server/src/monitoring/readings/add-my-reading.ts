import type { AccessContext, FhirStore } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import { webhookReadings } from '../ingest/webhook-contract.js';
import { ingestReadings, storedValues } from '../use-cases/ingest-readings.js';
import type { TMyReadingBody } from './patient-readings.types.js';

/** The patient a portal caller acts for: themselves, or (a caregiver) the patient they name; else 404. */
export async function portalPatient(store: FhirStore, ctx: AccessContext, user: UserPrincipal, named: string | undefined): Promise<string> {
  const self = user.fhirUser?.startsWith('Patient/') ? user.fhirUser : undefined;
  const patient = named ?? self;
  const caregiver = user.memberships.some((m) => m.role === 'caregiver');
  if (!patient || (patient !== self && !caregiver)) throw new CarelineError('not-found', [{ diagnostics: 'Nothing is here.' }]);
  await store.read(ctx, 'Patient', patient.slice('Patient/'.length)); // 404 unless the policy lets the caller see them
  return patient;
}

/**
 * A reading typed in by the patient or their caregiver: stored through the same ingest as a
 * device's, marked 'patient-entered' (Observation tag and monitoring_reading.origin), so it never
 * counts as a device day (CMS: RPM data must be automatically transmitted) while the patient's
 * rules still judge it. The FHIR store's policy decides whether the caller may write (a caregiver
 * needs a read-write grant): 403 otherwise.
 */
export async function addMyReading(store: FhirStore, db: Database, alerts: AlertEngine, ctx: AccessContext, user: UserPrincipal, body: TMyReadingBody): Promise<{ observation: string; created: boolean }> {
  const patient = await portalPatient(store, ctx, user, body.patient);
  const { readings, problems } = webhookReadings({ readings: [body.reading] });
  if (problems.length > 0) throw new CarelineError('validation-failed', problems.map((p) => ({ diagnostics: p.message, expression: ['reading.unit'] })));
  const author = user.fhirUser ?? `User/${user.accountId}`;
  const stored = await ingestReadings(store, db, { ctx, patient, device: author, origin: 'patient-entered', readings, pathOf: () => 'reading' });
  await alerts.onReadings(patient, storedValues(readings, stored));
  const first = stored[0];
  if (!first) throw new Error('ingest returned no result');
  return { observation: `Observation/${first.observationId}`, created: first.created };
}
