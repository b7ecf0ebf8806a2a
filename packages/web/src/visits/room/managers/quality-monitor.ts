import { Emitter } from '../logic/emitter';
import { INITIAL_QUALITY, nextQuality, sampleFromStats, type LossCounters, type QualitySample, type QualityState } from '../logic/quality';

export interface QualityEvents {
  sample: { readonly sample: QualitySample; readonly state: QualityState };
  /** The bandwidth collapsed (several samples in a row): time for audio-only. */
  weak: QualitySample;
  recovered: QualitySample;
}

export const QUALITY_INTERVAL_MS = 2_000;

/**
 * Polls getStats of the connections every 2 s and folds the worst connection's sample into the
 * quality state (logic/quality.ts). With several peers, the weakest link decides: one struggling
 * upload path is enough to make everyone's video stutter.
 */
export class QualityMonitor extends Emitter<QualityEvents> {
  private timer: ReturnType<typeof setInterval> | undefined;
  private state: QualityState = INITIAL_QUALITY;
  private readonly counters = new WeakMap<RTCPeerConnection, LossCounters>();

  constructor(private readonly connections: () => readonly RTCPeerConnection[]) {
    super();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), QUALITY_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts over (after the user chose to try video again). */
  reset(): void {
    this.state = INITIAL_QUALITY;
  }

  dispose(): void {
    this.stop();
    this.clearListeners();
  }

  private async poll(): Promise<void> {
    const samples: QualitySample[] = [];
    for (const pc of this.connections()) {
      if (pc.connectionState !== 'connected') continue;
      try {
        const report = await pc.getStats();
        const { sample, counters } = sampleFromStats(report.values() as Iterable<Record<string, unknown>>, this.counters.get(pc));
        this.counters.set(pc, counters);
        samples.push(sample);
      } catch {
        // closed between the check and the call
      }
    }
    const worst = worstSample(samples);
    if (!worst) return;
    const next = nextQuality(this.state, worst);
    this.state = next.state;
    this.emit('sample', { sample: worst, state: next.state });
    if (next.event === 'weak') this.emit('weak', worst);
    if (next.event === 'recovered') this.emit('recovered', worst);
  }
}

/** The lowest bitrate, highest loss and highest round trip among the connections. */
export function worstSample(samples: readonly QualitySample[]): QualitySample | undefined {
  if (samples.length === 0) return undefined;
  const pick = (xs: (number | undefined)[], f: (...v: number[]) => number) => {
    const known = xs.filter((x): x is number => x !== undefined);
    return known.length ? f(...known) : undefined;
  };
  return {
    outgoingKbps: pick(samples.map((s) => s.outgoingKbps), Math.min),
    lossPercent: pick(samples.map((s) => s.lossPercent), Math.max),
    rttMs: pick(samples.map((s) => s.rttMs), Math.max),
  };
}
