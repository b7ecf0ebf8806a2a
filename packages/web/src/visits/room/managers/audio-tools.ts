import { levelFromSamples } from '../logic/audio-level';

/**
 * WebAudio helpers of the pre-call check. One AudioContext per use, closed afterwards: browsers
 * limit how many may be open, and a suspended one would keep the page "playing audio".
 */

/** Calls onLevel (0–100) about 15 times a second with the microphone's level; returns the stop function. */
export function meterLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const track = stream.getAudioTracks()[0];
  if (!track) return () => undefined;
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  // A context created before any user gesture starts suspended (autoplay policy): resume on the first one.
  const resume = () => void ctx.resume().catch(() => undefined);
  resume();
  document.addEventListener('pointerdown', resume, { once: true });
  document.addEventListener('keydown', resume, { once: true });
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(buffer);
    onLevel(levelFromSamples(buffer));
  }, 66);
  return () => {
    clearInterval(timer);
    document.removeEventListener('pointerdown', resume);
    document.removeEventListener('keydown', resume);
    source.disconnect();
    void ctx.close();
  };
}

/** A short, gentle two-note chime so the user can tell whether the speaker works. Resolves when done. */
export async function playTestTone(): Promise<void> {
  const ctx = new AudioContext();
  try {
    await ctx.resume();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const start = ctx.currentTime + 0.05;
    for (const [i, freq] of [523.25, 659.25].entries()) {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      osc.connect(gain);
      const t = start + i * 0.45;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.4);
      osc.start(t);
      osc.stop(t + 0.42);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    await ctx.close();
  }
}
