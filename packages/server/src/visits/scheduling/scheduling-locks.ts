import type { Queryable } from '../../platform/db/database.js';

/**
 * The only SQL of scheduling outside the FHIR store: transaction-scoped advisory locks that serialise
 * writers of one thing (a practitioner's calendar, their Schedule, a clinic's default visit types).
 * The key is bound as a parameter and hashed by PostgreSQL, never spliced into SQL.
 */
export type LockScope = 'visits-calendar' | 'visits-schedule' | 'visits-visit-types';

export async function lockFor(tx: Queryable, scope: LockScope, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${scope}:${key}`]);
}
