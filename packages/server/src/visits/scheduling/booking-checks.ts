import type { FhirResource, FhirStore } from '../../fhir/index.js';
import { systemContext } from '../../fhir/index.js';
import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { TAvailabilityInput } from '@careline/contracts';
import { searchAll } from './fhir-query.js';
import { coveredBy, openIntervals, type Interval } from './slot-math.js';
import { BOOKING_RULES } from './visit-types.js';
import { lockFor } from './scheduling-locks.js';

const MINUTE = 60_000;
/** The longest visit type allowed (contracts: durationMinutes ≤ 240): how far back an overlapping visit can start. */
const LONGEST_VISIT_MINUTES = 240;
/** Statuses that hold the practitioner's time. */
export const HOLDING_STATUSES = ['booked', 'arrived', 'checked-in'];

/**
 * The practitioner's whole calendar must be seen to keep it free of overlaps, whatever the caller may
 * read; only busy intervals leave this function (no patient, no reason).
 */
const CALENDAR = systemContext('visits-calendar');

export async function busyIntervals(store: FhirStore, practitioner: string, from: number, to: number, q?: Queryable, except?: string): Promise<Interval[]> {
  const found = await searchAll(store, CALENDAR, 'Appointment', {
    actor: practitioner,
    status: HOLDING_STATUSES.join(','),
    date: [`ge${new Date(from - LONGEST_VISIT_MINUTES * MINUTE).toISOString()}`, `lt${new Date(to).toISOString()}`],
  }, q);
  return found
    .filter((r: FhirResource) => r.id !== except)
    .map((r) => ({ start: Date.parse(String(r.start)), end: Date.parse(String(r.end)) }))
    .filter((i) => i.start < to && i.end > from);
}

/** Patients' notice and horizon (staff are exempt, but nobody books the past). */
export function checkTimeRules(start: Date, now: Date, isPatient: boolean): void {
  if (start.getTime() < now.getTime()) {
    throw new CarelineError('booking-rule', [{ diagnostics: 'The start is in the past.', expression: ['start'] }]);
  }
  if (!isPatient) return;
  if (start.getTime() < now.getTime() + BOOKING_RULES.minNoticeMinutes * MINUTE) {
    throw new CarelineError('booking-rule', [{ diagnostics: `Visits must be booked at least ${String(BOOKING_RULES.minNoticeMinutes / 60)} hours ahead.`, expression: ['start'] }]);
  }
  if (start.getTime() > now.getTime() + BOOKING_RULES.maxHorizonDays * 24 * 60 * MINUTE) {
    throw new CarelineError('booking-rule', [{ diagnostics: `Visits can be booked at most ${String(BOOKING_RULES.maxHorizonDays)} days ahead.`, expression: ['start'] }]);
  }
}

/** The visit must lie in the practitioner's hours, and the type be one they offer. */
export function checkAvailability(rules: TAvailabilityInput, visitType: string, start: Date, end: Date): void {
  if (rules.visitTypes && rules.visitTypes.length > 0 && !rules.visitTypes.includes(visitType)) {
    throw new CarelineError('slot-unavailable', [{ diagnostics: `This practitioner does not offer "${visitType}" visits.`, expression: ['visitType'] }]);
  }
  if (!coveredBy(openIntervals(rules, start.getTime(), end.getTime()), start.getTime(), end.getTime())) {
    throw new CarelineError('slot-unavailable', [{ diagnostics: 'The practitioner is not available at this time.', expression: ['start'] }]);
  }
}

/** Takes the practitioner's calendar lock for the rest of the transaction (serialises bookings of one practitioner). */
export async function lockCalendar(tx: Queryable, practitioner: string): Promise<void> {
  await lockFor(tx, 'visits-calendar', practitioner);
}

export async function checkFree(store: FhirStore, tx: Queryable, practitioner: string, start: Date, end: Date, except?: string): Promise<void> {
  const busy = await busyIntervals(store, practitioner, start.getTime(), end.getTime(), tx, except);
  if (busy.length > 0) throw new CarelineError('slot-unavailable', [{ diagnostics: 'This time has just been booked by someone else.', expression: ['start'] }]);
}
