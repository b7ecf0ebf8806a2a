import type { Queryable } from '../../platform/db/database.js';
import type { Membership } from '../principal.js';

export type SessionKind = 'user' | 'enrolment' | 'client';

export interface NewSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly accountId: string | null;
  readonly clientId: string | null;
  readonly bearerHash: string;
  readonly cookieHash: string | null;
  readonly now: Date;
  readonly expiresAt: Date;
}

/** What one authenticated request needs, read in one indexed query. */
export interface ResolvedSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly account_id: string | null;
  readonly client_id: string | null;
  readonly last_seen_at: Date;
  readonly expires_at: Date;
  readonly email: string | null;
  readonly fhir_user: string | null;
  readonly memberships: Membership[];
  readonly scopes: string[] | null;
  readonly client_org: string | null;
}

// Two fixed statements (by bearer or by cookie hash); nothing of the request shapes the SQL.
const RESOLVE = (column: 'bearer_hash' | 'cookie_hash'): string => `
  SELECT s.id, s.kind, s.account_id, s.client_id, s.last_seen_at, s.expires_at,
         a.email, a.fhir_user, c.scopes, c.organization_id AS client_org,
         COALESCE((SELECT json_agg(json_build_object('organizationId', m.organization_id, 'role', m.role) ORDER BY m.organization_id, m.role)
                     FROM account_membership m WHERE m.account_id = s.account_id), '[]'::json) AS memberships
    FROM auth_session s
    LEFT JOIN account a ON a.id = s.account_id
    LEFT JOIN auth_client c ON c.id = s.client_id
   WHERE s.${column} = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
     AND (s.kind = 'client' OR s.last_seen_at > $3)
     AND (a.id IS NULL OR a.status = 'active')
     AND (c.id IS NULL OR c.disabled_at IS NULL)`;
const BY_BEARER = RESOLVE('bearer_hash');
const BY_COOKIE = RESOLVE('cookie_hash');

export class SessionRepository {
  constructor(private readonly q: Queryable) {}

  with(q: Queryable): SessionRepository {
    return new SessionRepository(q);
  }

  async insert(s: NewSession): Promise<void> {
    await this.q.query(
      `INSERT INTO auth_session (id, kind, account_id, client_id, bearer_hash, cookie_hash, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
      [s.id, s.kind, s.accountId, s.clientId, s.bearerHash, s.cookieHash, s.now, s.expiresAt],
    );
  }

  /** The live session a token hash belongs to (not revoked, not expired, not idle past `idleSince`). */
  async resolve(via: 'bearer' | 'cookie', tokenHash: string, now: Date, idleSince: Date): Promise<ResolvedSession | undefined> {
    const { rows } = await this.q.query<ResolvedSession>(via === 'bearer' ? BY_BEARER : BY_COOKIE, [tokenHash, now, idleSince]);
    return rows[0];
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.q.query('UPDATE auth_session SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [id, now]);
  }

  async revoke(id: string): Promise<void> {
    await this.q.query('UPDATE auth_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }

  /** Revokes every session of the account; returns their ids. */
  async revokeAccount(accountId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>('UPDATE auth_session SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL RETURNING id', [
      accountId,
    ]);
    return rows.map((r) => r.id);
  }

  /** Ends every session of the account but one (the one that changed the password). */
  async revokeAccountExcept(accountId: string, keepSessionId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(
      'UPDATE auth_session SET revoked_at = now() WHERE account_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id',
      [accountId, keepSessionId],
    );
    return rows.map((r) => r.id);
  }

  /** Removes sessions that ended long ago (kept a day for investigation). */
  async purge(before: Date): Promise<number> {
    const r = await this.q.query('DELETE FROM auth_session WHERE expires_at < $1 OR revoked_at < $1', [before]);
    return r.rowCount;
  }
}
