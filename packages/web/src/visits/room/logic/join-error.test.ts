import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinErrorView } from './join-error';

const e = (status: number, code: string, diagnostics?: string, retryAfterSeconds?: number) => ({ status, code, diagnostics, retryAfterSeconds });

describe('joinErrorView', () => {
  it('maps each documented failure to its page', () => {
    expect(joinErrorView(e(404, 'not-found'))).toEqual({ kind: 'not-found' });
    expect(joinErrorView(e(410, 'join-link-expired'))).toEqual({ kind: 'expired' });
    expect(joinErrorView(e(410, 'visit-cancelled'))).toEqual({ kind: 'cancelled' });
    expect(joinErrorView(e(409, 'join-link-not-open', 'Opens at 2025-03-01T09:45:00.000Z.'))).toEqual({ kind: 'too-early', opensAt: '2025-03-01T09:45:00.000Z' });
    expect(joinErrorView(e(409, 'join-link-not-open', 'Opens at 2025-03-01T10:45:00+01:00'))).toEqual({ kind: 'too-early', opensAt: '2025-03-01T09:45:00.000Z' });
    expect(joinErrorView(e(409, 'join-link-not-open'))).toEqual({ kind: 'too-early' });
    expect(joinErrorView(e(429, 'rate-limited', undefined, 30))).toEqual({ kind: 'rate-limited', retryAfterSeconds: 30 });
    expect(joinErrorView(e(403, 'forbidden'))).toEqual({ kind: 'forbidden' });
    expect(joinErrorView(e(0, 'network'))).toEqual({ kind: 'network' });
    expect(joinErrorView(e(500, 'internal'))).toEqual({ kind: 'unknown' });
  });

  it('always answers a known kind, and an opening time only when it parses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 599 }), fc.string(), fc.option(fc.string(), { nil: undefined }), (status, code, diag) => {
        const v = joinErrorView(e(status, code, diag));
        expect(['not-found', 'expired', 'cancelled', 'too-early', 'rate-limited', 'forbidden', 'network', 'unknown']).toContain(v.kind);
        if (v.opensAt !== undefined) expect(Number.isNaN(Date.parse(v.opensAt))).toBe(false);
      }),
    );
  });
});
