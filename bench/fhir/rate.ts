import { median } from '../lib/stats.js';

export interface RateResult {
  /** Median of one-second samples (like autocannon's req/s median). */
  readonly perSecMedian: number;
  /** Everything done over the whole run divided by its duration. */
  readonly perSecMean: number;
  readonly total: number;
  readonly seconds: number;
}

/**
 * Runs `callers` loops of `step` side by side for durationS seconds; each step says how many rows
 * it wrote. Counts are sampled every second, so a stall shows as a low sample, not a lower mean only.
 */
export async function timedLoops(callers: number, durationS: number, step: (caller: number) => Promise<number>): Promise<RateResult> {
  let total = 0;
  let lastTotal = 0;
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const sampler = setInterval(() => {
    samples.push(total - lastTotal);
    lastTotal = total;
  }, 1000);
  const loop = async (caller: number): Promise<void> => {
    while (performance.now() < deadline) {
      // Not `total += await …`: that reads total before awaiting and loses the other loops' counts.
      const done = await step(caller);
      total += done;
    }
  };
  try {
    await Promise.all(Array.from({ length: callers }, (_, i) => loop(i)));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecMedian: samples.length > 0 ? median(samples) : total / seconds, perSecMean: total / seconds, total, seconds };
}
