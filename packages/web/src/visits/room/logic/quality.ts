/**
 * Call quality from getStats (W3C webrtc-stats): the numbers the QualityMonitor samples every 2 s,
 * and the rule that decides when the bandwidth has collapsed and the room should fall back to audio.
 */

export interface QualitySample {
  /** Estimated available outgoing bitrate of the selected candidate pair, kbit/s (undefined before it is known). */
  readonly outgoingKbps: number | undefined;
  /** Round-trip time of the selected candidate pair, ms. */
  readonly rttMs: number | undefined;
  /** Inbound packet loss since the previous sample, percent (0–100). */
  readonly lossPercent: number | undefined;
}

/** Cumulative inbound counters kept between samples to turn totals into a rate. */
export interface LossCounters {
  readonly packetsReceived: number;
  readonly packetsLost: number;
}

type StatLike = Readonly<Record<string, unknown>>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Reads one RTCStatsReport (its values). The selected pair is the transport's selectedCandidatePairId,
 * or else the nominated succeeded pair (Firefox has no transport stats).
 */
export function sampleFromStats(stats: Iterable<StatLike>, previous: LossCounters | undefined): { sample: QualitySample; counters: LossCounters } {
  const all = [...stats];
  const byId = new Map(all.map((s) => [String(s.id), s]));
  let pair: StatLike | undefined;
  for (const s of all) if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pair = byId.get(s.selectedCandidatePairId);
  pair ??= all.find((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated === true);
  let received = 0;
  let lost = 0;
  for (const s of all) {
    if (s.type !== 'inbound-rtp') continue;
    received += num(s.packetsReceived) ?? 0;
    lost += Math.max(0, num(s.packetsLost) ?? 0);
  }
  const counters = { packetsReceived: received, packetsLost: lost };
  const bps = num(pair?.availableOutgoingBitrate);
  const rtt = num(pair?.currentRoundTripTime);
  return { sample: { outgoingKbps: bps === undefined ? undefined : bps / 1000, rttMs: rtt === undefined ? undefined : rtt * 1000, lossPercent: lossBetween(previous, counters) }, counters };
}

/** Loss over the interval between two cumulative readings; undefined when nothing arrived meanwhile. */
export function lossBetween(previous: LossCounters | undefined, current: LossCounters): number | undefined {
  if (!previous) return undefined;
  const received = current.packetsReceived - previous.packetsReceived;
  const lost = current.packetsLost - previous.packetsLost;
  if (received < 0 || lost < 0 || received + lost <= 0) return undefined;
  return (100 * lost) / (received + lost);
}

/** Below this the video cannot be kept watchable; audio needs ~30–50 kbit/s (Opus). */
export const WEAK_KBPS = 150;
/** Loss at which video freezes visibly even with enough bandwidth. */
export const WEAK_LOSS_PERCENT = 15;
/** Consecutive weak samples (2 s apart) before acting, so one bad sample does not switch modes. */
export const WEAK_SAMPLES = 3;

export type QualityLevel = 'unknown' | 'good' | 'weak';

export interface QualityState {
  readonly level: QualityLevel;
  readonly weakStreak: number;
  readonly goodStreak: number;
}

export const INITIAL_QUALITY: QualityState = { level: 'unknown', weakStreak: 0, goodStreak: 0 };

export function isWeakSample(s: QualitySample): boolean {
  return (s.outgoingKbps !== undefined && s.outgoingKbps < WEAK_KBPS) || (s.lossPercent !== undefined && s.lossPercent >= WEAK_LOSS_PERCENT);
}

/**
 * Folds one sample into the state; `event` is set on the sample that changes the level
 * ('weak' after WEAK_SAMPLES weak samples in a row, 'recovered' after as many good ones).
 */
export function nextQuality(state: QualityState, sample: QualitySample): { state: QualityState; event?: 'weak' | 'recovered' } {
  if (sample.outgoingKbps === undefined && sample.lossPercent === undefined) return { state };
  if (isWeakSample(sample)) {
    const weakStreak = state.weakStreak + 1;
    if (state.level !== 'weak' && weakStreak >= WEAK_SAMPLES) return { state: { level: 'weak', weakStreak, goodStreak: 0 }, event: 'weak' };
    return { state: { ...state, weakStreak, goodStreak: 0 } };
  }
  const goodStreak = state.goodStreak + 1;
  if (state.level === 'weak' && goodStreak >= WEAK_SAMPLES) return { state: { level: 'good', weakStreak: 0, goodStreak }, event: 'recovered' };
  return { state: { level: state.level === 'unknown' ? 'good' : state.level, weakStreak: 0, goodStreak } };
}
