import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.js';
import { csrfTokenFor, hashToken, newToken } from '../credentials/tokens.js';
import type { IdentityContext } from '../identity-context.js';

export interface IssuedSession {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly cookieToken: string;
  readonly csrfToken: string;
  /** Seconds until the absolute timeout. */
  readonly expiresIn: number;
}

/**
 * One login = one server-side session with two credentials (browser cookie, bearer token); revoking
 * the row ends both (OWASP ASVS V3.3.1). Only hashes are stored. The CSRF token derives from the cookie.
 */
export async function createUserSession(ctx: IdentityContext, accountId: string, q?: Queryable): Promise<IssuedSession> {
  const now = ctx.now();
  const ttl = ctx.platform.config.session.absoluteTimeoutSeconds;
  const accessToken = newToken();
  const cookieToken = newToken();
  const csrfToken = csrfTokenFor(cookieToken);
  const sessionId = randomUUID();
  await ctx.sessions.with(q ?? ctx.platform.db).insert({
    id: sessionId,
    kind: 'user',
    accountId,
    clientId: null,
    bearerHash: hashToken(accessToken),
    cookieHash: hashToken(cookieToken),
    now,
    expiresAt: new Date(now.getTime() + ttl * 1000),
  });
  return { sessionId, accessToken, cookieToken, csrfToken, expiresIn: ttl };
}

/** Staff who must enrol TOTP get this instead of a session: usable only on the enrolment routes. */
export const ENROLMENT_TOKEN_TTL_SECONDS = 600;

export async function createEnrolmentSession(ctx: IdentityContext, accountId: string): Promise<string> {
  const now = ctx.now();
  const token = newToken();
  await ctx.sessions.insert({
    id: randomUUID(),
    kind: 'enrolment',
    accountId,
    clientId: null,
    bearerHash: hashToken(token),
    cookieHash: null,
    now,
    expiresAt: new Date(now.getTime() + ENROLMENT_TOKEN_TTL_SECONDS * 1000),
  });
  return token;
}

export async function createClientSession(ctx: IdentityContext, clientId: string): Promise<{ accessToken: string; expiresIn: number }> {
  const now = ctx.now();
  const ttl = ctx.platform.config.session.clientTokenTtlSeconds;
  const accessToken = newToken();
  await ctx.sessions.insert({
    id: randomUUID(),
    kind: 'client',
    accountId: null,
    clientId,
    bearerHash: hashToken(accessToken),
    cookieHash: null,
    now,
    expiresAt: new Date(now.getTime() + ttl * 1000),
  });
  return { accessToken, expiresIn: ttl };
}
