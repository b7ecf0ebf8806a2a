/**
 * Idle sign-out in step with the server's session rules: the server ends a session after
 * CARELINE_SESSION_IDLE_TIMEOUT_S without a request (docs/API.md; it writes the value into
 * index.html). The app signs out a little before that, warns first, and while the user is active it
 * touches the server often enough that an active user is never timed out.
 */
export interface IdlePolicy {
  readonly idleMs: number;
  /** When the warning appears, before sign-out. */
  readonly warnMs: number;
  /** Sign-out happens this much before the server would expire the session. */
  readonly marginMs: number;
  /** An active user touches the server when the last touch is older than this. */
  readonly keepAliveMs: number;
}

export const DEFAULT_IDLE_SECONDS = 30 * 60;

export function idlePolicy(idleSeconds: number): IdlePolicy {
  const idleMs = Math.max(10, idleSeconds) * 1000;
  const marginMs = Math.min(10_000, idleMs * 0.05);
  const warnMs = Math.min(120_000, idleMs * 0.25);
  return { idleMs, warnMs, marginMs, keepAliveMs: idleMs / 3 };
}

export type IdleState = { readonly kind: 'active' } | { readonly kind: 'warning'; readonly secondsLeft: number } | { readonly kind: 'expired' };

/** What to show, given how long ago the user last did something. */
export function idleState(policy: IdlePolicy, sinceActivityMs: number): IdleState {
  const deadline = policy.idleMs - policy.marginMs;
  if (sinceActivityMs >= deadline) return { kind: 'expired' };
  if (sinceActivityMs >= deadline - policy.warnMs) return { kind: 'warning', secondsLeft: Math.ceil((deadline - sinceActivityMs) / 1000) };
  return { kind: 'active' };
}

/** The idle timeout the server announced in <meta name="careline-session-idle-seconds">, else the default. */
export function announcedIdleSeconds(doc: Pick<Document, 'querySelector'> = document): number {
  const content = doc.querySelector('meta[name="careline-session-idle-seconds"]')?.getAttribute('content');
  const n = content ? Number(content) : NaN;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_IDLE_SECONDS;
}
