import { ZMonitoringRule, type MonitoringRule } from '../rules/rule-contract.js';
import { evaluateOnReading } from '../rules/evaluate-rules.js';
import type { LatestValue, PanelRow } from './panel-repository.js';

export interface PanelEntry {
  readonly patient: string;
  readonly programs: readonly string[];
  readonly openAlerts: { readonly high: number; readonly medium: number };
  /** Newest value per measure, and whether it breaks one of the patient's absolute limits. */
  readonly latest: readonly { readonly measure: string; readonly value: number; readonly at: string; readonly outOfRange: boolean }[];
  readonly deviceDays30: number;
  readonly minutesThisMonth: number;
  readonly lastReading: string | null;
}

/** Rules as stored (one JSON array per enrolment); anything unreadable is skipped, never trusted. */
function rulesOf(row: PanelRow): MonitoringRule[] {
  return row.rules.flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : [])).flatMap((r) => {
    const parsed = ZMonitoringRule.safeParse(r);
    return parsed.success && parsed.data.kind === 'absolute' ? [parsed.data] : [];
  });
}

/**
 * The monitoring panel sorted by urgency (issue #7 item 5): open high alerts, then open medium
 * alerts, then latest values outside the patient's limits, then the fewest device days this period
 * (a patient who stopped measuring needs a call), then the fewest minutes logged this month.
 */
export function buildPanel(rows: readonly PanelRow[], latest: readonly LatestValue[]): PanelEntry[] {
  const byPatient = new Map<string, LatestValue[]>();
  for (const v of latest) byPatient.set(v.patient, [...(byPatient.get(v.patient) ?? []), v]);
  const entries = rows.map((row): PanelEntry & { outOfRange: number } => {
    const rules = rulesOf(row);
    const values = (byPatient.get(row.patient) ?? []).map((v) => ({
      measure: v.measure,
      value: v.value,
      at: v.effective.toISOString(),
      outOfRange: evaluateOnReading(rules, { measure: v.measure, value: v.value, at: v.effective }, []).length > 0,
    }));
    return {
      patient: row.patient,
      programs: row.programs,
      openAlerts: { high: row.high_alerts, medium: row.medium_alerts },
      latest: values,
      deviceDays30: row.device_days,
      minutesThisMonth: Math.floor(row.seconds / 60),
      lastReading: row.last_reading?.toISOString() ?? null,
      outOfRange: values.filter((v) => v.outOfRange).length,
    };
  });
  entries.sort(
    (a, b) =>
      b.openAlerts.high - a.openAlerts.high ||
      b.openAlerts.medium - a.openAlerts.medium ||
      b.outOfRange - a.outOfRange ||
      a.deviceDays30 - b.deviceDays30 ||
      a.minutesThisMonth - b.minutesThisMonth ||
      a.patient.localeCompare(b.patient),
  );
  return entries.map(({ outOfRange: _o, ...e }) => e);
}
