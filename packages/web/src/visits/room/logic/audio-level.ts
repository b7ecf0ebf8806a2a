/**
 * The microphone meter's level (0–100) from one frame of time-domain samples (-1…1): RMS in
 * decibels mapped from -60 dBFS (silence) to 0 dBFS (full scale), which matches how loud speech
 * looks on other meters better than a linear RMS would.
 */
export const FLOOR_DB = -60;

export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] ?? 0;
    sum += Number.isFinite(v) ? v * v : 0;
  }
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(Math.min(rms, 1));
  return Math.round(Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100)));
}
