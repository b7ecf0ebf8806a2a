import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, networkVerdict, type NetworkVerdict } from './network-verdict';

const rank: Record<NetworkVerdict, number> = { poor: 0, fair: 1, good: 2 };

describe('networkVerdict', () => {
  it('classifies typical links', () => {
    expect(networkVerdict({ connected: true, rttMs: 40, kbps: 5000 })).toBe('good');
    expect(networkVerdict({ connected: true, rttMs: 500, kbps: 5000 })).toBe('fair');
    expect(networkVerdict({ connected: true, rttMs: 60, kbps: 200 })).toBe('fair');
    expect(networkVerdict({ connected: true, rttMs: 60, kbps: 100 })).toBe('poor');
    expect(networkVerdict({ connected: true, rttMs: 1200, kbps: 5000 })).toBe('poor');
    expect(networkVerdict({ connected: false, rttMs: 10, kbps: 5000 })).toBe('poor');
    expect(networkVerdict({ connected: true, rttMs: undefined, kbps: 5000 })).toBe('poor');
  });

  it('is monotone: more bandwidth or less delay never gives a worse verdict', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(20_000), fc.nat(500), fc.nat(5000), (rtt, kbps, less, more) => {
        const base = networkVerdict({ connected: true, rttMs: rtt, kbps });
        const better = networkVerdict({ connected: true, rttMs: Math.max(0, rtt - less), kbps: kbps + more });
        expect(rank[better]).toBeGreaterThanOrEqual(rank[base]);
      }),
    );
  });
});

describe('median', () => {
  it('lies between the minimum and the maximum', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const m = median(xs) ?? NaN;
        expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(m).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
