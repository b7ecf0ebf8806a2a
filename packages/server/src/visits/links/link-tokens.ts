import { createHash, randomBytes } from 'node:crypto';

/**
 * Join-link tokens: `vl_` + 32 random bytes (256 bits, above issue #6's 128) in base64url. Only the
 * SHA-256 is stored; a fast hash suffices for values nobody can guess (OWASP ASVS V3.2.2).
 */
export const JOIN_TOKEN_PATTERN = /^vl_[A-Za-z0-9_-]{43}$/;

export function newJoinToken(): string {
  return `vl_${randomBytes(32).toString('base64url')}`;
}

export function hashJoinToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tickets for the signaling socket: same shape of randomness, another prefix (never confused with links). */
export const TICKET_PATTERN = /^vt_[A-Za-z0-9_-]{43}$/;

export function newTicket(): string {
  return `vt_${randomBytes(32).toString('base64url')}`;
}

export interface JoinWindow {
  readonly validFrom: Date;
  readonly validUntil: Date;
}

/** A visit's join window: from `earlyMinutes` before the slot starts to `lateMinutes` after it ends. */
export function joinWindow(start: Date, end: Date, earlyMinutes: number, lateMinutes: number): JoinWindow {
  return { validFrom: new Date(start.getTime() - earlyMinutes * 60_000), validUntil: new Date(end.getTime() + lateMinutes * 60_000) };
}

export type WindowState = 'not-open' | 'open' | 'expired';

/** Where `now` falls in a window: from is inclusive, until exclusive. */
export function windowState(window: JoinWindow, now: Date): WindowState {
  if (now.getTime() < window.validFrom.getTime()) return 'not-open';
  if (now.getTime() >= window.validUntil.getTime()) return 'expired';
  return 'open';
}
