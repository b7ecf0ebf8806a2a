import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque random tokens (sessions, access tokens, CSRF, mail links, client secrets): `cl_` + 32
 * random bytes in base64url. Only their SHA-256 is stored (OWASP ASVS V3.2.2: 128+ bits of entropy;
 * a fast hash suffices for values nobody can guess).
 */
export const TOKEN_PATTERN = /^cl_[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return `cl_${randomBytes(32).toString('base64url')}`;
}

/** The token when it has the shape of one of ours, else undefined (no lookup for junk). */
export function parseToken(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const t = raw.trim();
  return TOKEN_PATTERN.test(t) ? t : undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Recovery codes: 60 random bits as three groups of four Crockford base32 characters
 * (`abcd-efgh-jkmn`), easy to copy from paper; compared case-insensitively, separators optional.
 */
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
export const RECOVERY_CODE_PATTERN = /^[0-9a-hjkmnp-tv-z]{4}-?[0-9a-hjkmnp-tv-z]{4}-?[0-9a-hjkmnp-tv-z]{4}$/;

export function newRecoveryCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += CROCKFORD[b & 31] ?? '0';
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** The canonical form of a recovery code (lower case, no dashes), or undefined if it is not one. */
export function normaliseRecoveryCode(raw: string): string | undefined {
  const t = raw.trim().toLowerCase();
  return RECOVERY_CODE_PATTERN.test(t) ? t.replaceAll('-', '') : undefined;
}

/** Client identifiers printed by `careline clients add`. */
export function newClientId(): string {
  return `clc_${randomBytes(12).toString('hex')}`;
}
export const CLIENT_ID_PATTERN = /^clc_[0-9a-f]{24}$/;

/**
 * The CSRF token of a cookie session: a hash of the cookie's token. Only a page that was given it
 * (by login or /auth/me over the same origin) can send it; another site can make the browser send
 * the httpOnly cookie but can neither read it nor compute this (OWASP CSRF Cheat Sheet, synchronizer
 * token derived from the session).
 */
export function csrfTokenFor(cookieToken: string): string {
  return `clx_${createHash('sha256').update(`careline-csrf\u0000${cookieToken}`, 'utf8').digest('base64url')}`;
}
