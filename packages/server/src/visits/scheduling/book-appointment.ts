import type { TAppointment, TBookAppointmentRequest } from '@careline/contracts';
import { onBehalfOf, type AccessContext } from '../../fhir/index.js';
import { hasRole } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { appointmentResource, publishWrite, toAppointment } from './appointment-resource.js';
import { clinicFor, loadAvailability } from './availability.js';
import { checkAvailability, checkFree, checkTimeRules, lockCalendar } from './booking-checks.js';
import { CLINICAL_ROLES, holdsIn, person, selfRef, STAFF_SCHEDULERS } from './directory.js';
import { ensureOnCareTeam } from './care-team.js';
import { completeFollowUpTask, openFollowUpTask } from './follow-up-task.js';
import type { Caller, Scheduling } from './scheduling-context.js';
import { visitTypeOf } from './visit-types.js';

/** Staff who book for patients of their clinic. */
export const BOOKING_STAFF = ['front-desk', ...CLINICAL_ROLES] as const;

export interface BookOptions {
  /** The visit this one follows up ('Appointment/<id>'). */
  readonly follows?: string;
}

/**
 * Books a visit: a patient for themself (under the clinic's notice and horizon rules), or staff for a
 * patient of their clinic. Double booking is impossible: inside one transaction the practitioner's
 * calendar lock is taken, the calendar is checked for overlap, and only then is the Appointment created;
 * a concurrent booking of the same time waits on the lock and then finds it taken (409 slot-unavailable).
 */
export async function bookAppointment(s: Scheduling, caller: Caller, body: TBookAppointmentRequest, options: BookOptions = {}): Promise<TAppointment> {
  const { store, platform } = s.deps;
  const self = selfRef(caller.principal);
  const actingAsPatient = body.patient === undefined || body.patient === self;
  const patientRef = body.patient ?? self;
  if (!patientRef?.startsWith('Patient/')) {
    throw new CarelineError('bad-request', [{ diagnostics: 'Name the patient to book for.', expression: ['patient'] }]);
  }
  const [patient, practitioner] = await Promise.all([person(store, patientRef, 'patient'), person(store, body.practitioner, 'practitioner')]);
  const shared = practitioner.clinics.filter((c) => patient.clinics.includes(c));
  const clinic = actingAsPatient
    ? shared.find((c) => hasRole(caller.principal, 'patient', c))
    : shared.find((c) => holdsIn(caller.principal, BOOKING_STAFF, c));
  // Unknown, another clinic's, or not the caller's to book: all answer alike.
  if (!clinic) throw new CarelineError('not-found', [{ diagnostics: `${body.practitioner} is not bookable for ${patientRef}.`, expression: ['practitioner'] }]);
  const isPatient = actingAsPatient && !holdsIn(caller.principal, BOOKING_STAFF, clinic);

  const task = body.fromTask ? await openFollowUpTask(store, caller, body.fromTask, patientRef, isPatient) : undefined;
  const follows = options.follows ?? task?.follows;

  const visitType = await visitTypeOf(store, platform.db, clinic, body.visitType);
  const start = new Date(body.start);
  const end = new Date(start.getTime() + visitType.durationMinutes * 60_000);
  checkTimeRules(start, s.now(), isPatient);
  const availability = await loadAvailability(store, practitioner, clinicFor(practitioner, [clinic]), s.defaultZone);
  checkAvailability(availability.rules, visitType.code, start, end);

  // A patient booking for themself is not in the access policy yet (patients may not create
  // Appointments; reported): after the checks above (their own record, a practitioner of their clinic,
  // the clinic's rules) the server writes it on their behalf, audited as the patient. Staff write with
  // their own access.
  const ctx: AccessContext = isPatient ? onBehalfOf(caller.own) : caller.own;
  const resource = appointmentResource({
    clinic, patient, practitioner, visitType, start, end, timeZone: availability.rules.timeZone,
    ...(body.reason ? { reason: body.reason } : {}),
    ...(body.preferredLanguage ? { preferredLanguage: body.preferredLanguage } : {}),
    interpreterNeeded: body.interpreterNeeded ?? false,
    ...(follows ? { follows } : {}),
  });
  const { created, completed, team } = await platform.db.transaction(async (tx) => {
    await lockCalendar(tx, practitioner.reference);
    await checkFree(store, tx, practitioner.reference, start, end);
    const made = await store.create(ctx, resource, tx);
    // The request is answered by this booking: both commit, or neither.
    const done = task ? await completeFollowUpTask(store, task, `Appointment/${String(made.resource.id)}`, tx) : undefined;
    const joined = await ensureOnCareTeam(store, tx, patientRef, practitioner.reference, clinic);
    return { created: made, completed: done, team: joined };
  });
  publishWrite(store, created, 'POST');
  // After commit: also tells every instance's access cache that the care team changed.
  if (team) publishWrite(store, team.written, team.method);
  if (completed) publishWrite(store, completed, 'PUT');
  await s.reminders.scheduled(String(created.resource.id), start, 0);
  return toAppointment(created.resource, caller.principal, s.now());
}

/** Who may book on a clinic's behalf (for routes that only staff use). */
export function isBookingStaff(caller: Caller, clinic: string): boolean {
  return holdsIn(caller.principal, [...BOOKING_STAFF, ...STAFF_SCHEDULERS], clinic);
}
