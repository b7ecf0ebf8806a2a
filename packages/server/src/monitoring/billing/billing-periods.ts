import { addDays, monthOf } from './local-date.js';
import { PERIOD_DAYS } from './rpm-billing-rules.js';

export interface DevicePeriod {
  /** First local day (YYYY-MM-DD). */
  readonly start: string;
  /** Last local day, inclusive. */
  readonly end: string;
}

/**
 * The 30-day device-supply periods (CPT 99454/99445 are billed "each 30 days", CMS PFS) of an
 * episode that began on `anchor`, laid end to end from it, that END in `month`. A period is
 * reported in the month its last day falls in (its service is complete then), so every period is
 * reported exactly once: most months hold one, a 31-day month may hold two (ending on the 1st and
 * the 31st), and a February may hold none.
 */
export function periodsEndingIn(anchor: string, month: string): DevicePeriod[] {
  const out: DevicePeriod[] = [];
  const monthStart = `${month}-01`;
  if (monthOf(addDays(anchor, PERIOD_DAYS - 1)) > month) return out;
  // Skip whole periods up to the month (days between two dates, no time zone involved).
  const gap = Math.max(0, Math.floor((Date.parse(`${monthStart}T00:00:00Z`) - Date.parse(`${anchor}T00:00:00Z`)) / 86_400_000));
  let start = addDays(anchor, Math.max(0, Math.floor(gap / PERIOD_DAYS) - 1) * PERIOD_DAYS);
  for (;;) {
    const end = addDays(start, PERIOD_DAYS - 1);
    const m = monthOf(end);
    if (m > month) break;
    if (m === month) out.push({ start, end });
    start = addDays(start, PERIOD_DAYS);
  }
  return out;
}
