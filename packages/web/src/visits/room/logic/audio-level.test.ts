import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelFromSamples } from './audio-level';

describe('levelFromSamples', () => {
  it('is 0 for silence, 100 at full scale, in between for speech-like levels', () => {
    expect(levelFromSamples([])).toBe(0);
    expect(levelFromSamples(new Float32Array(128))).toBe(0);
    expect(levelFromSamples(new Float32Array(128).fill(1))).toBe(100);
    const l = levelFromSamples(new Float32Array(128).fill(0.05));
    expect(l).toBeGreaterThan(20);
    expect(l).toBeLessThan(90);
  });

  it('stays within 0–100 and grows with amplitude', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = levelFromSamples(new Float32Array(64).fill(lo));
        const y = levelFromSamples(new Float32Array(64).fill(hi));
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(100);
        expect(y).toBeGreaterThanOrEqual(x);
      }),
    );
  });
});
