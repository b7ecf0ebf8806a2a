import type { Queryable } from '../../platform/db/database.js';
import type { Membership, Role } from '../principal.js';

export interface AccountRow {
  readonly id: string;
  readonly email: string;
  readonly password_hash: string | null;
  readonly status: 'active' | 'disabled';
  readonly email_verified_at: Date | null;
  readonly fhir_user: string | null;
  readonly totp_secret: string | null;
  readonly totp_pending_secret: string | null;
  readonly totp_enabled_at: Date | null;
  readonly totp_last_step: number | null;
  readonly locale: string | null;
}

export interface AccountWithMemberships extends AccountRow {
  readonly memberships: Membership[];
}

const COLUMNS = 'a.id, a.email, a.password_hash, a.status, a.email_verified_at, a.fhir_user, a.totp_secret, a.totp_pending_secret, a.totp_enabled_at, a.totp_last_step, a.locale';
const MEMBERSHIPS = `COALESCE((SELECT json_agg(json_build_object('organizationId', m.organization_id, 'role', m.role) ORDER BY m.organization_id, m.role)
  FROM account_membership m WHERE m.account_id = a.id), '[]'::json) AS memberships`;

export interface NewAccount {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly fhirUser: string | null;
  readonly emailVerified: boolean;
}

/** The only SQL over accounts, memberships, recovery codes and login failures. */
export class AccountRepository {
  constructor(private readonly q: Queryable) {}

  with(q: Queryable): AccountRepository {
    return new AccountRepository(q);
  }

  async count(): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>('SELECT count(*)::int AS n FROM account');
    return rows[0]?.n ?? 0;
  }

  async byEmail(email: string): Promise<AccountWithMemberships | undefined> {
    const { rows } = await this.q.query<AccountWithMemberships>(`SELECT ${COLUMNS}, ${MEMBERSHIPS} FROM account a WHERE a.email = $1`, [email]);
    return rows[0];
  }

  /** Email addresses of the active accounts linked to these FHIR identities (whom to notify). */
  async emailsOf(fhirUsers: readonly string[]): Promise<string[]> {
    if (fhirUsers.length === 0) return [];
    const { rows } = await this.q.query<{ email: string }>("SELECT email FROM account WHERE fhir_user = ANY($1::text[]) AND status = 'active'", [fhirUsers]);
    return rows.map((r) => r.email);
  }

  async byId(id: string): Promise<AccountWithMemberships | undefined> {
    const { rows } = await this.q.query<AccountWithMemberships>(`SELECT ${COLUMNS}, ${MEMBERSHIPS} FROM account a WHERE a.id = $1`, [id]);
    return rows[0];
  }

  async inOrganization(organizationId: string): Promise<AccountWithMemberships[]> {
    const { rows } = await this.q.query<AccountWithMemberships>(
      `SELECT ${COLUMNS}, ${MEMBERSHIPS} FROM account a
        WHERE EXISTS (SELECT 1 FROM account_membership m WHERE m.account_id = a.id AND m.organization_id = $1)
        ORDER BY a.email`,
      [organizationId],
    );
    return rows;
  }

  /** Inserts the account; false when the email is taken (nothing written). */
  async insert(a: NewAccount): Promise<boolean> {
    const r = await this.q.query(
      `INSERT INTO account (id, email, password_hash, fhir_user, email_verified_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::boolean THEN now() END) ON CONFLICT (email) DO NOTHING`,
      [a.id, a.email, a.passwordHash, a.fhirUser, a.emailVerified],
    );
    return r.rowCount === 1;
  }

  async addMembership(accountId: string, organizationId: string, role: Role): Promise<void> {
    await this.q.query('INSERT INTO account_membership (account_id, organization_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      accountId,
      organizationId,
      role,
    ]);
  }

  async replaceRoles(accountId: string, organizationId: string, roles: readonly Role[]): Promise<void> {
    await this.q.query('DELETE FROM account_membership WHERE account_id = $1 AND organization_id = $2 AND NOT (role = ANY($3::text[]))', [
      accountId,
      organizationId,
      [...roles],
    ]);
    for (const role of roles) await this.addMembership(accountId, organizationId, role);
  }

  async setFhirUser(accountId: string, fhirUser: string): Promise<void> {
    await this.q.query('UPDATE account SET fhir_user = $2, updated_at = now() WHERE id = $1', [accountId, fhirUser]);
  }

  async setPassword(accountId: string, passwordHash: string): Promise<void> {
    await this.q.query('UPDATE account SET password_hash = $2, updated_at = now() WHERE id = $1', [accountId, passwordHash]);
  }

  async setLocale(accountId: string, locale: string): Promise<void> {
    await this.q.query('UPDATE account SET locale = $2, updated_at = now() WHERE id = $1', [accountId, locale]);
  }

  async setStatus(accountId: string, status: 'active' | 'disabled'): Promise<void> {
    await this.q.query('UPDATE account SET status = $2, updated_at = now() WHERE id = $1', [accountId, status]);
  }

  async markEmailVerified(accountId: string): Promise<void> {
    await this.q.query('UPDATE account SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1', [accountId]);
  }

  async setPendingTotp(accountId: string, secret: string): Promise<void> {
    await this.q.query('UPDATE account SET totp_pending_secret = $2, updated_at = now() WHERE id = $1', [accountId, secret]);
  }

  /** Moves the pending secret in place, remembering the step of the confirming code. */
  async enableTotp(accountId: string, step: number): Promise<boolean> {
    const r = await this.q.query(
      `UPDATE account SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now(), totp_last_step = $2, updated_at = now()
        WHERE id = $1 AND totp_pending_secret IS NOT NULL`,
      [accountId, step],
    );
    return r.rowCount === 1;
  }

  async disableTotp(accountId: string): Promise<void> {
    await this.q.query(
      'UPDATE account SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = now() WHERE id = $1',
      [accountId],
    );
    await this.q.query('DELETE FROM account_recovery_code WHERE account_id = $1', [accountId]);
  }

  /**
   * Records `step` as used, atomically: false when it (or a later step) was already used, so two
   * concurrent logins with one code cannot both pass (RFC 6238 §5.2).
   */
  async claimTotpStep(accountId: string, step: number): Promise<boolean> {
    const r = await this.q.query('UPDATE account SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)', [
      accountId,
      step,
    ]);
    return r.rowCount === 1;
  }

  async replaceRecoveryCodes(accountId: string, codeHashes: readonly string[]): Promise<void> {
    await this.q.query('DELETE FROM account_recovery_code WHERE account_id = $1', [accountId]);
    await this.q.query('INSERT INTO account_recovery_code (account_id, code_hash) SELECT $1, unnest($2::text[])', [accountId, [...codeHashes]]);
  }

  /** Marks a recovery code used; false when unknown or already used (single use). */
  async useRecoveryCode(accountId: string, codeHash: string): Promise<boolean> {
    const r = await this.q.query('UPDATE account_recovery_code SET used_at = now() WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL', [
      accountId,
      codeHash,
    ]);
    return r.rowCount === 1;
  }

  async recordLoginFailure(accountId: string, at: Date): Promise<void> {
    await this.q.query('INSERT INTO account_login_failure (account_id, failed_at) VALUES ($1, $2)', [accountId, at]);
  }

  /** Failures since `since`, and the oldest of them (when the window will next open up). */
  async loginFailuresSince(accountId: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
    const { rows } = await this.q.query<{ count: number; oldest: Date | null }>(
      'SELECT count(*)::int AS count, min(failed_at) AS oldest FROM account_login_failure WHERE account_id = $1 AND failed_at > $2',
      [accountId, since],
    );
    return rows[0] ?? { count: 0, oldest: null };
  }

  async clearLoginFailuresBefore(accountId: string, before: Date): Promise<void> {
    await this.q.query('DELETE FROM account_login_failure WHERE account_id = $1 AND failed_at <= $2', [accountId, before]);
  }

  /** Failures older than the throttling window count for nothing: the purge job drops them. */
  async purgeLoginFailures(before: Date): Promise<number> {
    const r = await this.q.query('DELETE FROM account_login_failure WHERE failed_at < $1', [before]);
    return r.rowCount;
  }
}
