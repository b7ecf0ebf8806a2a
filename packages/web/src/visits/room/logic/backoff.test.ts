import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, reconnectDelay, shouldReconnect } from './backoff';

describe('reconnectDelay', () => {
  it('stays within [half, full] of the capped exponential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
        const d = reconnectDelay(attempt, r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(cap / 2));
        expect(d).toBeLessThanOrEqual(cap);
      }),
    );
  });

  it('grows with the attempt when the jitter is fixed, then plateaus at the ceiling', () => {
    expect(reconnectDelay(0, 0)).toBe(250);
    expect(reconnectDelay(1, 0)).toBe(500);
    expect(reconnectDelay(3, 1)).toBe(4000);
    expect(reconnectDelay(50, 1)).toBe(BACKOFF_MAX_MS);
  });
});

describe('shouldReconnect', () => {
  it('gives up on final close codes and on an expired ticket', () => {
    expect(shouldReconnect(1006, 2000, 1000)).toBe(true);
    expect(shouldReconnect(1001, 2000, 1000)).toBe(true);
    expect(shouldReconnect(1000, 2000, 1000)).toBe(false);
    expect(shouldReconnect(4401, 2000, 1000)).toBe(false);
    expect(shouldReconnect(4410, 2000, 1000)).toBe(false);
    expect(shouldReconnect(1006, 2000, 2000)).toBe(false);
  });
});
