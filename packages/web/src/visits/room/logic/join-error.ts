/**
 * Errors of the join endpoints (contracts/visits.ts: unknown 404, expired or cancelled 410, too
 * early 409 with the opening time in diagnostics, guessing 429) as the pages the user sees.
 */
export type JoinErrorKind = 'not-found' | 'expired' | 'cancelled' | 'too-early' | 'rate-limited' | 'forbidden' | 'network' | 'unknown';

export interface JoinErrorView {
  readonly kind: JoinErrorKind;
  /** When the link opens (too-early), if the server said. */
  readonly opensAt?: string;
  /** Seconds to wait (rate-limited). */
  readonly retryAfterSeconds?: number;
}

export interface ErrorLike {
  readonly status: number;
  readonly code: string;
  readonly diagnostics: string | undefined;
  readonly retryAfterSeconds: number | undefined;
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/;

export function joinErrorView(err: ErrorLike): JoinErrorView {
  if (err.status === 0) return { kind: 'network' };
  if (err.status === 410 || err.code === 'join-link-expired' || err.code === 'visit-cancelled') return { kind: err.code === 'visit-cancelled' ? 'cancelled' : 'expired' };
  if (err.status === 409 || err.code === 'join-link-not-open') {
    const opensAt = ISO.exec(err.diagnostics ?? '')?.[0];
    return opensAt && !Number.isNaN(Date.parse(opensAt)) ? { kind: 'too-early', opensAt: new Date(opensAt).toISOString() } : { kind: 'too-early' };
  }
  if (err.status === 429) return err.retryAfterSeconds === undefined ? { kind: 'rate-limited' } : { kind: 'rate-limited', retryAfterSeconds: err.retryAfterSeconds };
  if (err.status === 404) return { kind: 'not-found' };
  if (err.status === 401 || err.status === 403) return { kind: 'forbidden' };
  return { kind: 'unknown' };
}
