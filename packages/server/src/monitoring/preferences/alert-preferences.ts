import type { UserPrincipal } from '../../identity/index.js';
import { hasRole } from '../../identity/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { PreferenceRepository } from '../storage/preference-repository.js';
import type { AlertPreferences } from './alert-preferences.types.js';
import { preferencesOf, rowOf } from './notification-rules.js';

const CLINICAL = ['clinician', 'nurse', 'specialist'] as const;

/**
 * The practitioner whose alert preferences these are: only clinical staff linked to a Practitioner
 * are on care teams and receive alerts, so only they have preferences.
 */
function practitionerOf(user: UserPrincipal): string {
  const clinical = CLINICAL.some((r) => hasRole(user, r));
  if (!clinical || !user.fhirUser?.startsWith('Practitioner/')) {
    throw new CarelineError('forbidden', [{ diagnostics: 'Alert preferences are for clinical staff (clinician, nurse, specialist) linked to a Practitioner.' }]);
  }
  return user.fhirUser;
}

export async function getMyAlertPreferences(db: Database, user: UserPrincipal): Promise<AlertPreferences> {
  return preferencesOf(await new PreferenceRepository(db).of(practitionerOf(user)));
}

/** Saves the caller's preferences and records the change in the security audit trail, in one transaction. */
export async function setMyAlertPreferences(db: Database, audit: AuditLog, user: UserPrincipal, prefs: AlertPreferences, requestId?: string): Promise<AlertPreferences> {
  const practitioner = practitionerOf(user);
  const row = rowOf(practitioner, prefs);
  const actor = `User/${user.accountId}`;
  await db.transaction(async (tx) => {
    await new PreferenceRepository(tx).save(row, actor);
    await audit.security({ type: 'account-change', outcome: 'success', actor, target: practitioner, detail: 'monitoring-alert-preferences', ...(requestId ? { requestId } : {}) }, tx);
  });
  return preferencesOf(row);
}
