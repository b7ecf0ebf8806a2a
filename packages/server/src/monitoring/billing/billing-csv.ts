import type { TBillingReport } from './billing-report.types.js';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a leading = + - @ is
 * prefixed with ' so a spreadsheet never runs it as a formula (OWASP CSV injection).
 */
function cell(value: string | number | boolean | null): string {
  const s = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const BILLING_CSV_HEADER = [
  'clinic', 'month', 'patient', 'name', 'program', 'period_start', 'period_end', 'device_days', 'management_minutes', 'interactive_contact',
  'consent_date', 'setup_date', 'billing_practitioner', 'codes', 'notes',
] as const;

/** The report as CSV: a header, one line per patient and period; codes as "99454;99458x2". */
export function billingCsv(r: TBillingReport): string {
  const lines = [BILLING_CSV_HEADER.join(',')];
  for (const row of r.rows) {
    lines.push([
      r.clinicName, r.month, row.patient, row.name, row.program, row.periodStart, row.periodEnd, row.deviceDays, row.managementTime, row.interactiveContact,
      row.consentDate, row.setupDate, row.billingPractitioner, row.codes.map((c) => (c.units > 1 ? `${c.code}x${String(c.units)}` : c.code)).join(';'), row.notes.join(' '),
    ].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
