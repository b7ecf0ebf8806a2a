import type { Queryable } from '../../platform/db/database.js';

export type MailTokenPurpose = 'password-reset' | 'email-verification' | 'invitation';

export interface MailTokenRow {
  readonly purpose: MailTokenPurpose;
  readonly account_id: string | null;
  readonly email: string;
  readonly data: Record<string, unknown>;
  readonly expires_at: Date;
}

/** Single-use, expiring tokens sent by mail; only their hash is stored. */
export class MailTokenRepository {
  constructor(private readonly q: Queryable) {}

  with(q: Queryable): MailTokenRepository {
    return new MailTokenRepository(q);
  }

  async insert(t: { tokenHash: string; purpose: MailTokenPurpose; accountId: string | null; email: string; data?: Record<string, unknown>; createdBy?: string; expiresAt: Date }): Promise<void> {
    await this.q.query(
      'INSERT INTO auth_mail_token (token_hash, purpose, account_id, email, data, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [t.tokenHash, t.purpose, t.accountId, t.email, JSON.stringify(t.data ?? {}), t.createdBy ?? null, t.expiresAt],
    );
  }

  /** The token when live (unused, unexpired), without using it. */
  async peek(tokenHash: string, purpose: MailTokenPurpose, now: Date): Promise<MailTokenRow | undefined> {
    const { rows } = await this.q.query<MailTokenRow>(
      'SELECT purpose, account_id, email, data, expires_at FROM auth_mail_token WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3',
      [tokenHash, purpose, now],
    );
    return rows[0];
  }

  /** Uses the token (single use, atomically): undefined when unknown, used, expired or of another purpose. */
  async consume(tokenHash: string, purpose: MailTokenPurpose, now: Date): Promise<MailTokenRow | undefined> {
    const { rows } = await this.q.query<MailTokenRow>(
      `UPDATE auth_mail_token SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
       RETURNING purpose, account_id, email, data, expires_at`,
      [tokenHash, purpose, now],
    );
    return rows[0];
  }

  /** Invalidates the account's other live tokens of a purpose (a new reset link replaces the old). */
  async invalidate(accountId: string, purpose: MailTokenPurpose, now: Date): Promise<void> {
    await this.q.query('UPDATE auth_mail_token SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL', [accountId, purpose, now]);
  }

  /** Expired or used links are kept a while for support questions, then dropped by the purge job. */
  async purge(before: Date): Promise<number> {
    const r = await this.q.query('DELETE FROM auth_mail_token WHERE expires_at < $1 OR used_at < $1', [before]);
    return r.rowCount;
  }
}
