import { describe, expect, it } from 'vitest';
import { worstSample } from './quality-monitor';

describe('worstSample', () => {
  it('takes the weakest figure of each kind across connections', () => {
    expect(worstSample([])).toBeUndefined();
    expect(
      worstSample([
        { outgoingKbps: 900, rttMs: 40, lossPercent: undefined },
        { outgoingKbps: 120, rttMs: 300, lossPercent: 2 },
        { outgoingKbps: undefined, rttMs: undefined, lossPercent: 9 },
      ]),
    ).toEqual({ outgoingKbps: 120, rttMs: 300, lossPercent: 9 });
  });
});
