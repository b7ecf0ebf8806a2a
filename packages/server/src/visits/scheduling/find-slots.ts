import type { TBookablePractitioner, TSlotsQuery, TSlotsResponse } from '@careline/contracts';
import { DateTime } from 'luxon';
import { hasRole } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { loadAvailability, findSchedule, rulesOf } from './availability.js';
import { busyIntervals } from './booking-checks.js';
import { BOOKING_STAFF } from './book-appointment.js';
import { holdsIn, person, practitionersOf, selfRef, STAFF_SCHEDULERS } from './directory.js';
import type { Caller, Scheduling } from './scheduling-context.js';
import { freeSlots, openIntervals } from './slot-math.js';
import { BOOKING_RULES, visitTypeOf } from './visit-types.js';

const MAX_RANGE_DAYS = 62;
/** Candidate starts every 15 minutes from the start of each open stretch. */
const STEP_MINUTES = 15;

/** The clinics in which the caller may look at a practitioner's free time: as a patient or as staff. */
function viewingClinic(caller: Caller, clinics: readonly string[]): { clinic: string; isPatient: boolean } | undefined {
  const staff = clinics.find((c) => holdsIn(caller.principal, [...BOOKING_STAFF, ...STAFF_SCHEDULERS], c));
  if (staff) return { clinic: staff, isPatient: false };
  const patient = clinics.find((c) => hasRole(caller.principal, 'patient', c));
  return patient ? { clinic: patient, isPatient: true } : undefined;
}

export async function findSlots(s: Scheduling, caller: Caller, query: TSlotsQuery): Promise<TSlotsResponse> {
  const { store, platform } = s.deps;
  const practitioner = await person(store, query.practitioner, 'practitioner');
  const where = viewingClinic(caller, practitioner.clinics);
  if (!where) throw new CarelineError('not-found', [{ diagnostics: `${query.practitioner} is not known.`, expression: ['practitioner'] }]);
  const from = Date.parse(query.from);
  let to = Date.parse(query.to);
  if (to <= from || to - from > MAX_RANGE_DAYS * 86_400_000) {
    throw new CarelineError('bad-request', [{ diagnostics: `"to" must be after "from", at most ${String(MAX_RANGE_DAYS)} days later.`, expression: ['to'] }]);
  }
  const now = s.now().getTime();
  const notBefore = where.isPatient ? now + BOOKING_RULES.minNoticeMinutes * 60_000 : now;
  if (where.isPatient) to = Math.min(to, now + BOOKING_RULES.maxHorizonDays * 86_400_000);
  const visitType = await visitTypeOf(store, platform.db, where.clinic, query.visitType);
  const { rules } = await loadAvailability(store, practitioner, where.clinic, s.defaultZone);
  const offered = !rules.visitTypes || rules.visitTypes.length === 0 || rules.visitTypes.includes(visitType.code);
  // Open time from the local midnight before `from`, so the slot grid is anchored at the start of each
  // stretch of hours (09:00, 09:15 …) whatever instant the caller asks from.
  const anchor = DateTime.fromMillis(from, { zone: rules.timeZone }).startOf('day').toMillis();
  const open = offered && to > from ? openIntervals(rules, anchor, to) : [];
  const busy = open.length > 0 ? await busyIntervals(store, practitioner.reference, anchor, to) : [];
  const slots = freeSlots(open, { durationMinutes: visitType.durationMinutes, stepMinutes: STEP_MINUTES, busy, notBefore: Math.max(notBefore, from) });
  return {
    practitioner: query.practitioner,
    timeZone: rules.timeZone,
    visitType,
    slots: slots.map((x) => ({
      start: new Date(x.start).toISOString(),
      end: new Date(x.end).toISOString(),
      localStart: DateTime.fromMillis(x.start, { zone: rules.timeZone }).toISO({ suppressMilliseconds: true }) ?? new Date(x.start).toISOString(),
    })),
  };
}

/**
 * Practitioners a patient can book: those of the patient's clinic with availability set, their own
 * care team first. A patient asks for themself; staff name the patient.
 */
export async function bookablePractitioners(s: Scheduling, caller: Caller, patientRef?: string): Promise<TBookablePractitioner[]> {
  const { store } = s.deps;
  const target = patientRef ?? selfRef(caller.principal);
  if (!target?.startsWith('Patient/')) throw new CarelineError('bad-request', [{ diagnostics: 'Name the patient.', expression: ['patient'] }]);
  const patient = await person(store, target, 'patient');
  const clinics = patient.clinics.filter((c) => (target === selfRef(caller.principal) && hasRole(caller.principal, 'patient', c)) || holdsIn(caller.principal, [...BOOKING_STAFF, ...STAFF_SCHEDULERS], c));
  if (clinics.length === 0) throw new CarelineError('not-found', [{ diagnostics: `${target} is not known.`, expression: ['patient'] }]);
  const team = await s.deps.careTeamOf(target);
  const out: TBookablePractitioner[] = [];
  for (const clinic of clinics) {
    for (const p of await practitionersOf(store, clinic)) {
      const schedule = await findSchedule(store, p.reference, clinic);
      const rules = schedule && rulesOf(schedule);
      if (!rules || (rules.weekly.length === 0 && !rules.exceptions.some((x) => x.kind === 'extra'))) continue;
      out.push({ reference: p.reference, displayName: p.display, timeZone: rules.timeZone, onCareTeam: team.includes(p.reference) });
    }
  }
  return out.sort((a, b) => Number(b.onCareTeam) - Number(a.onCareTeam) || a.displayName.localeCompare(b.displayName));
}
