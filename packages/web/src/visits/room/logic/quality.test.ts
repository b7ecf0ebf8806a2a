import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INITIAL_QUALITY, lossBetween, nextQuality, sampleFromStats, WEAK_KBPS, WEAK_SAMPLES, type QualitySample } from './quality';

const good: QualitySample = { outgoingKbps: 900, rttMs: 40, lossPercent: 0 };
const weak: QualitySample = { outgoingKbps: 90, rttMs: 400, lossPercent: 2 };

describe('sampleFromStats', () => {
  it('reads the selected pair and turns inbound totals into interval loss', () => {
    const stats = [
      { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
      { id: 'CP1', type: 'candidate-pair', state: 'failed', availableOutgoingBitrate: 5 },
      { id: 'CP2', type: 'candidate-pair', state: 'succeeded', nominated: true, availableOutgoingBitrate: 1_200_000, currentRoundTripTime: 0.08 },
      { id: 'IA', type: 'inbound-rtp', kind: 'audio', packetsReceived: 190, packetsLost: 10 },
      { id: 'IV', type: 'inbound-rtp', kind: 'video', packetsReceived: 800, packetsLost: 0 },
    ];
    const { sample, counters } = sampleFromStats(stats, { packetsReceived: 490, packetsLost: 0 });
    expect(sample.outgoingKbps).toBe(1200);
    expect(sample.rttMs).toBeCloseTo(80);
    expect(sample.lossPercent).toBeCloseTo((100 * 10) / 510);
    expect(counters).toEqual({ packetsReceived: 990, packetsLost: 10 });
  });

  it('falls back to the nominated succeeded pair and tolerates missing fields', () => {
    const { sample } = sampleFromStats([{ id: 'CP', type: 'candidate-pair', state: 'succeeded', nominated: true }], undefined);
    expect(sample).toEqual({ outgoingKbps: undefined, rttMs: undefined, lossPercent: undefined });
  });

  it('never reports loss outside 0–100', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), (r0, l0, dr, dl) => {
        const loss = lossBetween({ packetsReceived: r0, packetsLost: l0 }, { packetsReceived: r0 + dr, packetsLost: l0 + dl });
        if (dr + dl === 0) expect(loss).toBeUndefined();
        else {
          expect(loss).toBeGreaterThanOrEqual(0);
          expect(loss).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
});

describe('nextQuality', () => {
  it(`emits 'weak' once after ${WEAK_SAMPLES} weak samples below ${WEAK_KBPS} kbit/s, then 'recovered'`, () => {
    let state = INITIAL_QUALITY;
    const events: string[] = [];
    for (const s of [good, weak, weak, good, weak, weak, weak, weak, weak, good, good, good]) {
      const next = nextQuality(state, s);
      state = next.state;
      events.push(next.event ?? '-');
    }
    expect(events).toEqual(['-', '-', '-', '-', '-', '-', 'weak', '-', '-', '-', '-', 'recovered']);
  });

  it('treats heavy loss as weak even with bandwidth', () => {
    let state = INITIAL_QUALITY;
    let event: string | undefined;
    for (let i = 0; i < WEAK_SAMPLES; i++) ({ state, event } = nextQuality(state, { outgoingKbps: 2000, rttMs: 30, lossPercent: 30 }));
    expect(event).toBe('weak');
  });

  it('ignores empty samples', () => {
    expect(nextQuality(INITIAL_QUALITY, { outgoingKbps: undefined, rttMs: 10, lossPercent: undefined }).state).toBe(INITIAL_QUALITY);
  });

  it('never announces weak without WEAK_SAMPLES weak samples in a row', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (pattern) => {
        let state = INITIAL_QUALITY;
        let run = 0;
        for (const isWeak of pattern) {
          run = isWeak ? run + 1 : 0;
          const next = nextQuality(state, isWeak ? weak : good);
          if (next.event === 'weak') expect(run).toBeGreaterThanOrEqual(WEAK_SAMPLES);
          state = next.state;
        }
      }),
    );
  });
});
