import type { Queryable } from '../../platform/db/database.js';
import { AccountRepository } from '../storage/account-repository.js';

/** Email addresses of the active accounts of these FHIR identities (other capabilities notify people with it). */
export async function emailsOfFhirUsers(db: Queryable, fhirUsers: readonly string[]): Promise<string[]> {
  return new AccountRepository(db).emailsOf(fhirUsers);
}
