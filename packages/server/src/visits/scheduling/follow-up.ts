import type { TFollowUpRequest, TFollowUpResponse, TFollowUpTask } from '@careline/contracts';
import { DateTime } from 'luxon';
import type { FhirResource } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { clinicOfAppointment, participantRef, timeZoneOf, visitTypeOfAppointment } from './appointment-resource.js';
import { bookAppointment } from './book-appointment.js';
import { readAppointment } from './change-appointment.js';
import { CLINICAL_ROLES, holdsIn, STAFF_SCHEDULERS } from './directory.js';
import { searchAll } from './fhir-query.js';
import { BOOK_FOLLOW_UP, TASK_CODE_SYSTEM } from './follow-up-task.js';
import type { Caller, Scheduling } from './scheduling-context.js';


/**
 * A follow-up after a visit: booked at once (same practitioner; the follow-up visit type unless another
 * is named), or a FHIR Task owned by the patient asking them to book within a window, which the portal
 * lists. The Task is written with the caller's own access (clinical staff of the patient's care team).
 */
export async function requestFollowUp(s: Scheduling, caller: Caller, id: string, body: TFollowUpRequest): Promise<TFollowUpResponse> {
  const { resource } = await readAppointment(s, caller, id);
  const clinic = clinicOfAppointment(resource) ?? '';
  if (!holdsIn(caller.principal, [...CLINICAL_ROLES, ...STAFF_SCHEDULERS], clinic)) {
    throw new CarelineError('forbidden', [{ diagnostics: 'Only the clinic’s staff request follow-up visits.' }]);
  }
  const patient = participantRef(resource, 'Patient');
  const practitioner = participantRef(resource, 'Practitioner');
  if (!patient || !practitioner) throw new CarelineError('unprocessable', [{ diagnostics: 'The visit has no patient or practitioner.' }]);
  const previous = visitTypeOfAppointment(resource);
  const visitType = body.book?.visitType ?? (previous.mode === 'video' ? 'follow-up-video' : previous.code);
  if (body.book) {
    const appointment = await bookAppointment(s, caller, {
      patient: patient.reference, practitioner: practitioner.reference, visitType, start: body.book.start, interpreterNeeded: false,
    }, { follows: `Appointment/${id}` });
    return { kind: 'booked', appointment };
  }
  const zone = timeZoneOf(resource);
  const target = DateTime.fromISO(String(resource.start), { zone }).plus({ [body.after.unit]: body.after.value });
  const dueFrom = target.toISODate() ?? '';
  const dueTo = target.plus({ days: body.after.unit === 'weeks' ? 7 : 3 }).toISODate() ?? '';
  const task: FhirResource = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: TASK_CODE_SYSTEM, code: BOOK_FOLLOW_UP, display: 'Book a follow-up visit' }], text: 'Book a follow-up visit' },
    for: { reference: patient.reference },
    owner: { reference: patient.reference },
    requester: { reference: practitioner.reference, display: practitioner.display },
    focus: { reference: `Appointment/${id}` },
    authoredOn: new Date().toISOString(),
    restriction: { period: { start: dueFrom, end: dueTo } },
    input: [{ type: { text: 'visit-type' }, valueString: visitType }],
    ...(body.note ? { note: [{ text: body.note }] } : {}),
  };
  const created = await s.deps.store.create(caller.own, task);
  return { kind: 'task', task: toTask(created.resource) };
}

export function toTask(r: FhirResource): TFollowUpTask {
  const period = (r.restriction as { period?: { start?: string; end?: string } } | undefined)?.period;
  const requester = r.requester as { reference?: string; display?: string } | undefined;
  const note = (r.note as { text?: string }[] | undefined)?.[0]?.text;
  const status = r.status === 'completed' || r.status === 'cancelled' ? r.status : 'requested';
  return {
    id: String(r.id),
    status,
    patient: String((r.for as { reference?: string } | undefined)?.reference),
    practitioner: { reference: String(requester?.reference), display: requester?.display ?? '' },
    visitType: (r.input as { valueString?: string }[] | undefined)?.[0]?.valueString ?? 'follow-up-video',
    dueFrom: String(period?.start).slice(0, 10),
    dueTo: String(period?.end).slice(0, 10),
    basedOnAppointment: String((r.focus as { reference?: string } | undefined)?.reference).replace(/^Appointment\//, ''),
    ...(note ? { note } : {}),
  };
}

/** Open follow-up requests: the patient's own, or (staff) the named patient's, as the caller's access allows. */
export async function openFollowUps(s: Scheduling, caller: Caller, patient: string): Promise<TFollowUpTask[]> {
  const found = await searchAll(s.deps.store, caller.own, 'Task', { code: `${TASK_CODE_SYSTEM}|${BOOK_FOLLOW_UP}`, owner: patient, status: 'requested' });
  return found.map(toTask);
}
