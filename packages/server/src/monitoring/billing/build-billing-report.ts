import { systemContext, type FhirStore } from '../../fhir/index.js';
import type { Database } from '../../platform/db/database.js';
import { TimeEntryRepository } from '../time/time-entry-repository.js';
import { periodsEndingIn, type DevicePeriod } from './billing-periods.js';
import { BillingRepository, type BillableEnrollment } from './billing-repository.js';
import type { TBillingReport, TBillingRow } from './billing-report.types.js';
import { ClinicSettingRepository } from './clinic-setting-repository.js';
import { addDays, localMonth, monthWindow } from './local-date.js';
import { evaluateRpmBilling, formatMinutes, type RpmReading, type RpmTimeEntry } from './rpm-billing-rules.js';

const FHIR = systemContext('monitoring-billing');

/**
 * The monthly RPM billing report of one clinic: per enrolled patient, the device period(s) ending
 * in the month and the month's treatment-management time, judged by evaluateRpmBilling (the one
 * rules module; this file only gathers its inputs). A patient's episode is their oldest active
 * enrolment; its 30-day periods start on the setup date, else the consent date, else the day of
 * enrolment (in the clinic's zone).
 */
export async function buildBillingReport(store: FhirStore, db: Database, organization: string, month: string): Promise<TBillingReport> {
  const timeZone = await new ClinicSettingRepository(db).timeZone(organization);
  const billing = new BillingRepository(db);
  const episodes = firstPerPatient(await billing.enrollments(organization, timeZone));
  const patients = episodes.map((e) => e.patient);
  const plans = new Map(episodes.map((e) => [e.patient, periodsEndingIn(anchorOf(e), month)]));

  // Readings for every period reported this month: from the earliest start to the latest end (+ a day each side for zones).
  const all = [...plans.values()].flat();
  const readings = new Map<string, RpmReading[]>();
  if (all.length > 0) {
    const from = new Date(`${addDays(all.map((p) => p.start).sort()[0] ?? `${month}-01`, -1)}T00:00:00Z`);
    const to = new Date(`${addDays(all.map((p) => p.end).sort().at(-1) ?? `${month}-01`, 2)}T00:00:00Z`);
    for (const d of await billing.deviceDays(patients, from, to, timeZone)) push(readings, d.patient, { at: d.at, source: 'device' });
  }
  const { from, to } = monthWindow(month);
  const time = new Map<string, RpmTimeEntry[]>();
  for (const e of await new TimeEntryRepository(db).forClinic(organization, from, to)) {
    if (localMonth(e.started_at, timeZone) === month) push(time, e.patient, { start: e.started_at, seconds: e.seconds, interactive: e.interactive });
  }
  const setupBilled = await billing.setupBilledBefore(episodes.map((e) => e.id), month);
  const claims = await billing.claims(organization, month);

  const rows: TBillingRow[] = [];
  for (const e of episodes) {
    const periods: (DevicePeriod | null)[] = plans.get(e.patient)?.length ? (plans.get(e.patient) ?? []) : [null];
    let setupDone = setupBilled.has(e.id);
    const name = await patientName(store, e.patient);
    periods.forEach((p, i) => {
      const last = i === periods.length - 1;
      const result = evaluateRpmBilling({
        timeZone, consentDate: e.consent_date, setupDate: e.setup_date, setupBilled: setupDone,
        periodStart: p?.start ?? `${month}-01`, month,
        readings: p ? (readings.get(e.patient) ?? []) : [],
        timeEntries: time.get(e.patient) ?? [],
        billingPractitioner: e.billing_practitioner,
        include: p === null ? 'management' : last ? 'all' : 'device',
      });
      if (result.lines.some((l) => l.code === '99453')) setupDone = true;
      rows.push({
        patient: e.patient, name, program: e.program, periodStart: p?.start ?? null, periodEnd: p?.end ?? null,
        deviceDays: p ? result.deviceDays : 0, managementSeconds: last ? result.managementSeconds : 0, managementTime: formatMinutes(last ? result.managementSeconds : 0),
        interactiveContact: last && result.interactiveContact, consentDate: e.consent_date, setupDate: e.setup_date, billingPractitioner: e.billing_practitioner,
        codes: result.lines.map((l) => ({ code: l.code, units: l.units })), notes: [...result.notes],
      });
    });
  }
  const codes: Record<string, number> = {};
  for (const r of rows) for (const c of r.codes) codes[c.code] = (codes[c.code] ?? 0) + c.units;
  const closed = claims[0];
  return {
    organization, clinicName: await clinicName(store, organization), month, timeZone,
    closed: closed ? { at: closed.closed_at.toISOString(), by: closed.closed_by } : null,
    rows,
    totals: { patients: episodes.length, billablePatients: new Set(rows.filter((r) => r.codes.length > 0).map((r) => r.patient)).size, codes },
  };
}

/** Where an episode's 30-day periods start (CMS counts each 30 days from the start of monitoring). */
function anchorOf(e: BillableEnrollment): string {
  return e.setup_date ?? e.consent_date ?? e.enrolled_on;
}

function firstPerPatient(rows: readonly BillableEnrollment[]): BillableEnrollment[] {
  const seen = new Map<string, BillableEnrollment>();
  for (const r of rows) if (!seen.has(r.patient)) seen.set(r.patient, r);
  return [...seen.values()].sort((a, b) => a.patient.localeCompare(b.patient));
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

async function patientName(store: FhirStore, patient: string): Promise<string> {
  try {
    const r = await store.read(FHIR, 'Patient', patient.slice('Patient/'.length));
    const n = (r.resource as { name?: { family?: string; given?: string[] }[] }).name?.[0];
    return [n?.family, n?.given?.join(' ')].filter((x) => x).join(', ') || patient;
  } catch {
    return patient;
  }
}

async function clinicName(store: FhirStore, organization: string): Promise<string> {
  try {
    const r = await store.read(FHIR, 'Organization', organization);
    return (r.resource as { name?: string }).name ?? organization;
  } catch {
    return organization;
  }
}
