import type { TPanelEntry } from '../api/monitoring-api';

export type Urgency = 'high' | 'medium' | 'attention' | 'steady';

/** Fewer device days than this in the 30-day period means readings are not arriving (CPT 99454 needs 16). */
export const FEW_DEVICE_DAYS = 16;

/** How urgent one panel row is, for its badge: open high alert, open medium alert, a value off limits, or steady. */
export function urgencyOf(e: TPanelEntry): Urgency {
  if (e.openAlerts.high > 0) return 'high';
  if (e.openAlerts.medium > 0) return 'medium';
  if (e.latest.some((v) => v.outOfRange)) return 'attention';
  return 'steady';
}

/**
 * The panel's urgency order (the server's, kept when the list is filtered client-side): open high
 * alerts, open medium alerts, latest values outside the limits, fewest device days this period, fewest
 * minutes logged this month, then by reference so the order is total.
 */
export function compareUrgency(a: TPanelEntry, b: TPanelEntry): number {
  const off = (e: TPanelEntry) => e.latest.filter((v) => v.outOfRange).length;
  return (
    b.openAlerts.high - a.openAlerts.high ||
    b.openAlerts.medium - a.openAlerts.medium ||
    off(b) - off(a) ||
    a.deviceDays30 - b.deviceDays30 ||
    a.minutesThisMonth - b.minutesThisMonth ||
    (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0)
  );
}

export function sortByUrgency(entries: readonly TPanelEntry[]): TPanelEntry[] {
  return [...entries].sort(compareUrgency);
}

/** The rows of one program ('' = every program), in urgency order. */
export function panelView(entries: readonly TPanelEntry[], program: string): TPanelEntry[] {
  return sortByUrgency(program ? entries.filter((e) => e.programs.includes(program)) : entries);
}

/** Programs present in the panel, for the filter (only those with patients). */
export function programsIn(entries: readonly TPanelEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.programs))].sort();
}
