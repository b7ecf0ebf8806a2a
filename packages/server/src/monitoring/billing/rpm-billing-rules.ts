import { addDays, localDate, monthOf } from './local-date.js';

/**
 * Remote physiologic monitoring billing rules (CMS Physician Fee Schedule, CY 2026): which CPT
 * codes one patient's data supports. The one module these rules live in; the monthly report, its
 * CSV and PDF only format what this returns.
 *
 * - 99453 setup and education: once per episode of care, when monitoring has begun (≥ 2 days of
 *   device data in the period) and the setup date is recorded.
 * - 99454 device supply, 16–30 days with device readings in the 30-day period; 99445 the same for
 *   2–15 days (new in 2026). Never both for one period.
 * - 99470 first 10 minutes of treatment management in the calendar month (new in 2026);
 *   99457 first 20 minutes; 99458 each additional full 20 minutes. 99470 and 99457 exclude each
 *   other. Each needs at least one interactive communication with the patient in the month.
 * - Only automatically transmitted device data counts (patient-entered readings never do); the
 *   patient's recorded consent is required for every code; one billing practitioner per patient
 *   per period.
 */
export type RpmCode = '99453' | '99454' | '99445' | '99470' | '99457' | '99458';

export interface RpmReading {
  readonly at: Date;
  /** 'device' = transmitted automatically by a device or uploader; 'patient-entered' = typed in. */
  readonly source: 'device' | 'patient-entered';
}

export interface RpmTimeEntry {
  readonly start: Date;
  readonly seconds: number;
  /** A real-time, two-way (audio or video) exchange with the patient or caregiver. */
  readonly interactive: boolean;
}

export interface RpmBillingInput {
  /** The clinic's IANA time zone; days and months are counted in it. */
  readonly timeZone: string;
  /** Local date the patient consented, or null: no consent, nothing billable. */
  readonly consentDate: string | null;
  /** Local date of device setup and education, or null. */
  readonly setupDate: string | null;
  /** 99453 was billed before in this episode of care. */
  readonly setupBilled: boolean;
  /** First local day of the 30-day device period. */
  readonly periodStart: string;
  /** Calendar month 'YYYY-MM' for treatment-management time. */
  readonly month: string;
  readonly readings: readonly RpmReading[];
  readonly timeEntries: readonly RpmTimeEntry[];
  /** The one billing practitioner for this patient and period ('Practitioner/<id>'), or null. */
  readonly billingPractitioner: string | null;
  /**
   * Which codes to judge: a month whose report holds two device periods (a period ending on the 1st
   * and another on the 31st) bills management time once, so its other period is judged 'device'
   * only; a month in which no period ends is judged 'management' only. Default 'all'.
   */
  readonly include?: 'all' | 'device' | 'management';
}

export interface RpmClaimLine {
  readonly code: RpmCode;
  readonly units: number;
}

export interface RpmBillingResult {
  readonly lines: readonly RpmClaimLine[];
  /** Local days (YYYY-MM-DD) in the 30-day period with at least one device reading. */
  readonly deviceDays: number;
  /** Whole seconds of treatment-management time in the month. */
  readonly managementSeconds: number;
  readonly interactiveContact: boolean;
  /** Why a code is not billable, in plain words, for the report. */
  readonly notes: readonly string[];
}

export const PERIOD_DAYS = 30;
const MINUTES_20 = 20 * 60;
const MINUTES_10 = 10 * 60;

export function evaluateRpmBilling(input: RpmBillingInput): RpmBillingResult {
  const periodEnd = addDays(input.periodStart, PERIOD_DAYS); // exclusive
  const days = new Set<string>();
  for (const r of input.readings) {
    if (r.source !== 'device') continue;
    const day = localDate(r.at, input.timeZone);
    // Monitoring before consent is not a billable service.
    if (day >= input.periodStart && day < periodEnd && (input.consentDate === null || day >= input.consentDate)) days.add(day);
  }
  const inMonth = input.timeEntries.filter((e) => monthOf(localDate(e.start, input.timeZone)) === input.month);
  const seconds = inMonth.reduce((sum, e) => sum + Math.max(0, Math.floor(e.seconds)), 0);
  const interactive = inMonth.some((e) => e.interactive);
  const notes: string[] = [];
  const lines: RpmClaimLine[] = [];
  const result = (): RpmBillingResult => ({ lines, deviceDays: days.size, managementSeconds: seconds, interactiveContact: interactive, notes });

  if (input.consentDate === null) {
    notes.push('No recorded consent: nothing is billable.');
    return result();
  }
  if (input.billingPractitioner === null) {
    notes.push('No billing practitioner for this period.');
    return result();
  }

  const include = input.include ?? 'all';
  const device = include !== 'management';
  const management = include !== 'device';

  if (!device) {
    // Device supply and setup are judged with this month's device period elsewhere.
  } else if (days.size >= 16) lines.push({ code: '99454', units: 1 });
  else if (days.size >= 2) lines.push({ code: '99445', units: 1 });
  else notes.push(`Device readings on ${String(days.size)} day(s) in the period: at least 2 are needed for device supply.`);

  if (!device || input.setupBilled) {
    // Once per episode of care: nothing to say unless it would otherwise apply.
  } else if (input.setupDate === null) notes.push('Setup and education date not recorded: 99453 not billable.');
  else if (days.size < 2) notes.push('99453 waits until monitoring has begun (2 days of device readings).');
  else lines.push({ code: '99453', units: 1 });

  if (!management) {
    // Treatment management is judged once per calendar month, on the month's main row.
  } else if (seconds >= MINUTES_10 && !interactive) {
    notes.push('No interactive communication with the patient this month: treatment management is not billable.');
  } else if (seconds >= MINUTES_20) {
    lines.push({ code: '99457', units: 1 });
    const extra = Math.floor((seconds - MINUTES_20) / MINUTES_20);
    if (extra > 0) lines.push({ code: '99458', units: extra });
  } else if (seconds >= MINUTES_10) {
    lines.push({ code: '99470', units: 1 });
  } else {
    notes.push(`${formatMinutes(seconds)} of treatment management this month: at least 10:00 is needed.`);
  }
  lines.sort((a, b) => a.code.localeCompare(b.code));
  return result();
}

/** m:ss, for notes (19:59 is not 20:00). */
export function formatMinutes(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60))}:${String(s % 60).padStart(2, '0')}`;
}
