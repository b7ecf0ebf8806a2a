import { CarelineError } from '../../platform/errors/careline-error.js';

/**
 * Per-device request limit (issue #7: rate-limited per device), a fixed window per credential in
 * this instance. A device retrying in a tight loop gets 429 + Retry-After instead of crowding out
 * the clinic's other devices. Several instances each allow the limit (documented).
 */
export class DeviceRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  check(credentialId: string): void {
    const t = this.now();
    let w = this.windows.get(credentialId);
    if (!w || t - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.windows.clear();
      w = { start: t, count: 0 };
      this.windows.set(credentialId, w);
    }
    w.count++;
    if (w.count > this.max) {
      const seconds = Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
      throw new CarelineError('rate-limited', [{ diagnostics: `This device sent more than ${String(this.max)} requests in ${String(this.windowMs / 1000)} s; try again in ${String(seconds)} s.` }], {
        'retry-after': String(seconds),
      });
    }
  }
}
