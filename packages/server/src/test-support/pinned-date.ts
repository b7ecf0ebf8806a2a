import { afterAll, beforeAll, vi } from 'vitest';

/**
 * Pins the application's clock (Date only; timers stay real and time keeps moving from the pinned
 * instant) for suites whose fixtures are calendar dates: billing months, 30-day periods, "a reading
 * from the future". Without it they would pass only in the weeks they were written. The database's
 * own now() is not pinned: such suites must not compare app time with database time.
 */
export function pinDate(iso: string): void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(iso));
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}
