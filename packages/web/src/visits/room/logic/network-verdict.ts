/**
 * The pre-call network check's plain-language verdict, from what the loopback test measured
 * through the clinic's ICE servers.
 */
export type NetworkVerdict = 'good' | 'fair' | 'poor';

export interface NetworkMeasurement {
  /** Whether the two test connections reached each other at all. */
  readonly connected: boolean;
  /** Median data-channel round trip, ms. */
  readonly rttMs: number | undefined;
  /** Throughput of the data-channel burst, kbit/s. */
  readonly kbps: number | undefined;
}

/**
 * Thresholds: two-way video at a watchable size wants ~500 kbit/s and a round trip under ~300 ms
 * (ITU-T G.114 puts conversational delay comfort under 150 ms one way); audio-only manages with
 * ~50 kbit/s, but below ~150 kbit/s or beyond ~800 ms round trip even a conversation suffers.
 */
export const GOOD = { kbps: 500, rttMs: 300 } as const;
export const FAIR = { kbps: 150, rttMs: 800 } as const;

export function networkVerdict(m: NetworkMeasurement): NetworkVerdict {
  if (!m.connected || m.rttMs === undefined || m.kbps === undefined) return 'poor';
  if (m.kbps >= GOOD.kbps && m.rttMs <= GOOD.rttMs) return 'good';
  if (m.kbps >= FAIR.kbps && m.rttMs <= FAIR.rttMs) return 'fair';
  return 'poor';
}

/** Median of the round trips measured (robust against one delayed ping). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
