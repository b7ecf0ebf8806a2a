import type { TAppointment } from '@careline/contracts';
import { onBehalfOf, type AccessContext, type FhirResource, type VersionedResource } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { clinicOfAppointment, mayChange, movedTo, participantRef, publishWrite, reschedulesOf, toAppointment, visitTypeOfAppointment } from './appointment-resource.js';
import { loadAvailability } from './availability.js';
import { checkAvailability, checkFree, checkTimeRules, lockCalendar } from './booking-checks.js';
import { CLINICAL_ROLES, holdsIn, person, selfRef, STAFF_SCHEDULERS } from './directory.js';
import { searchAll } from './fhir-query.js';
import type { Caller, Scheduling } from './scheduling-context.js';

export interface ReadAppointment {
  readonly resource: FhirResource;
  /** The access to write it with (see below). */
  readonly writeCtx: AccessContext;
  readonly isPatient: boolean;
}

/**
 * Reads an appointment for the caller. With their own access first (patients: their compartment;
 * front desk: the clinic; clinical staff: their care-team patients). A practitioner who is the visit's
 * own practitioner but not on the patient's care team is not in the policy yet (reported): the server
 * reads it on their behalf (audited as them) with the check in the query itself (this id AND this
 * practitioner as participant), so nothing but their own visit is read. Anything else answers 404.
 */
export async function readAppointment(s: Scheduling, caller: Caller, id: string): Promise<ReadAppointment> {
  const self = selfRef(caller.principal);
  let resource: FhirResource;
  try {
    resource = (await s.deps.store.read(caller.own, 'Appointment', id)).resource;
  } catch (err) {
    if (!(err instanceof CarelineError) || err.code !== 'not-found' || !self?.startsWith('Practitioner/')) throw err;
    const [own] = await searchAll(s.deps.store, onBehalfOf(caller.own), 'Appointment', { _id: id, actor: self });
    if (!own || participantRef(own, 'Practitioner')?.reference !== self) throw err;
    resource = own;
  }
  const clinic = clinicOfAppointment(resource) ?? '';
  const isStaff = holdsIn(caller.principal, [...STAFF_SCHEDULERS, ...CLINICAL_ROLES], clinic);
  const isPatient = !isStaff && participantRef(resource, 'Patient')?.reference === self;
  // Patients (and a visit's own practitioner off the care team) may not update Appointments in the
  // policy yet (reported): the server writes their cancel/reschedule on their behalf, audited as them,
  // once assertChangeable (mayChange) has checked it is theirs and before the cut-off.
  const writeCtx = isPatient || participantRef(resource, 'Practitioner')?.reference === self ? onBehalfOf(caller.own) : caller.own;
  return { resource, writeCtx, isPatient };
}

export async function getAppointment(s: Scheduling, caller: Caller, id: string): Promise<TAppointment> {
  return toAppointment((await readAppointment(s, caller, id)).resource, caller.principal, s.now());
}

function assertChangeable(s: Scheduling, caller: Caller, r: FhirResource): void {
  if (r.status === 'cancelled') throw new CarelineError('visit-cancelled');
  if (!mayChange(caller.principal, r, s.now())) {
    throw new CarelineError('booking-rule', [{ diagnostics: 'This visit can no longer be changed online; please call the clinic.', expression: ['start'] }]);
  }
}

export async function rescheduleAppointment(s: Scheduling, caller: Caller, id: string, startIso: string): Promise<TAppointment> {
  const { store, platform } = s.deps;
  const { resource, writeCtx, isPatient } = await readAppointment(s, caller, id);
  assertChangeable(s, caller, resource);
  const practitionerRef = participantRef(resource, 'Practitioner')?.reference ?? '';
  const practitioner = await person(store, practitionerRef, 'practitioner');
  const visitType = visitTypeOfAppointment(resource);
  const start = new Date(startIso);
  const end = new Date(start.getTime() + visitType.durationMinutes * 60_000);
  checkTimeRules(start, s.now(), isPatient);
  const availability = await loadAvailability(store, practitioner, clinicOfAppointment(resource) ?? '', s.defaultZone);
  checkAvailability(availability.rules, visitType.code, start, end);
  const updated: VersionedResource = await platform.db.transaction(async (tx) => {
    await lockCalendar(tx, practitionerRef);
    await checkFree(store, tx, practitionerRef, start, end, id);
    return (await store.update(writeCtx, 'Appointment', id, movedTo(resource, start, end), {}, tx)).result;
  });
  publishWrite(store, updated, 'PUT');
  // Links carry the old time window; reminders queued before the move find it moved and stay silent.
  await s.links.revokeAll(id, 'rescheduled');
  await s.reminders.scheduled(id, start, reschedulesOf(updated.resource));
  return toAppointment(updated.resource, caller.principal, s.now());
}

export async function cancelAppointment(s: Scheduling, caller: Caller, id: string, reason: string): Promise<TAppointment> {
  const { store } = s.deps;
  const { resource, writeCtx } = await readAppointment(s, caller, id);
  assertChangeable(s, caller, resource);
  const next = { ...resource, status: 'cancelled', cancelationReason: { text: reason } };
  const { result } = await store.update(writeCtx, 'Appointment', id, next);
  await s.links.revokeAll(id, 'cancelled');
  await s.reminders.cancelled(id);
  return toAppointment(result.resource, caller.principal, s.now());
}
