import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCONNECTED_GRACE_MS, iceRecovery, RESTART_RETRY_MS } from './ice-recovery';

describe('iceRecovery', () => {
  it('restarts a failed connection at once and a disconnected one after the grace period', () => {
    expect(iceRecovery('failed', 0, undefined)).toEqual({ kind: 'restart-now' });
    expect(iceRecovery('disconnected', 1000, undefined)).toEqual({ kind: 'check-after', ms: DISCONNECTED_GRACE_MS - 1000 });
    expect(iceRecovery('disconnected', DISCONNECTED_GRACE_MS, undefined)).toEqual({ kind: 'restart-now' });
    expect(iceRecovery('connected', 99_999, undefined)).toEqual({ kind: 'none' });
    expect(iceRecovery('checking', 99_999, undefined)).toEqual({ kind: 'none' });
  });

  it('spaces restarts by at least RESTART_RETRY_MS', () => {
    fc.assert(
      fc.property(fc.constantFrom<RTCIceConnectionState>('failed', 'disconnected'), fc.nat(60_000), fc.nat(60_000), (state, sinceChange, sinceRestart) => {
        const a = iceRecovery(state, sinceChange, sinceRestart);
        if (a.kind === 'restart-now') expect(sinceRestart).toBeGreaterThanOrEqual(RESTART_RETRY_MS);
        if (a.kind === 'check-after') expect(a.ms).toBeGreaterThan(0);
        expect(a.kind).not.toBe('none');
      }),
    );
  });
});
