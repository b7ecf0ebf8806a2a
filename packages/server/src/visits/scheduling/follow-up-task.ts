import { onBehalfOf, type AccessContext, type FhirResource, type FhirStore, type VersionedResource } from '../../fhir/index.js';
import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Caller } from './scheduling-context.js';

export const TASK_CODE_SYSTEM = 'urn:careline:task';
export const BOOK_FOLLOW_UP = 'book-follow-up';

/** An open follow-up request a booking answers, checked, with how to complete it. */
export interface OpenTask {
  readonly resource: FhirResource;
  readonly version: number;
  /** The visit it follows up ('Appointment/<id>'). */
  readonly follows?: string;
  /** The access that completes it (see openFollowUpTask). */
  readonly writeCtx: AccessContext;
}

const isBookFollowUp = (r: FhirResource): boolean =>
  ((r.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).some((c) => c.system === TASK_CODE_SYSTEM && c.code === BOOK_FOLLOW_UP);

/**
 * The follow-up Task named by a booking, read with the caller's own access (a patient: their
 * compartment; clinical staff: their care-team patients), which must be an open booking request for
 * the patient being booked. Unreadable answers 404 like unknown.
 */
export async function openFollowUpTask(store: FhirStore, caller: Caller, taskId: string, patientRef: string, isPatient: boolean): Promise<OpenTask> {
  let read;
  try {
    read = await store.read(caller.own, 'Task', taskId);
  } catch (err) {
    if (err instanceof CarelineError && (err.code === 'not-found' || err.code === 'gone' || err.code === 'forbidden')) {
      throw new CarelineError('not-found', [{ diagnostics: `Task/${taskId} is not known.`, expression: ['fromTask'] }]);
    }
    throw err;
  }
  const task = read.resource;
  const owner = (task.for as { reference?: string } | undefined)?.reference;
  if (!isBookFollowUp(task) || owner !== patientRef) {
    throw new CarelineError('bad-request', [{ diagnostics: `Task/${taskId} is not a follow-up request for ${patientRef}.`, expression: ['fromTask'] }]);
  }
  if (task.status !== 'requested') {
    throw new CarelineError('booking-rule', [{ diagnostics: 'This follow-up request is no longer open.', expression: ['fromTask'] }]);
  }
  const follows = (task.focus as { reference?: string } | undefined)?.reference;
  return {
    resource: task,
    version: read.versionId,
    ...(follows?.startsWith('Appointment/') ? { follows } : {}),
    // Patients may not update Tasks in the policy (reported): after the checks above (it is their own
    // open request, and they are booking the visit it asks for) the server completes it on their
    // behalf, audited as them. Staff who could read it complete it with their own access.
    writeCtx: isPatient ? onBehalfOf(caller.own) : caller.own,
  };
}

/**
 * Completes the Task inside the booking's transaction, so a booking and its request succeed or fail
 * together; If-Match on the version read makes a second booking from the same request fail (and roll
 * back) rather than complete it twice.
 */
export async function completeFollowUpTask(store: FhirStore, open: OpenTask, appointmentRef: string, tx: Queryable): Promise<VersionedResource> {
  const id = String(open.resource.id);
  const next: FhirResource = {
    ...open.resource,
    status: 'completed',
    lastModified: new Date().toISOString(),
    output: [{ type: { text: 'appointment' }, valueReference: { reference: appointmentRef } }],
  };
  try {
    return (await store.update(open.writeCtx, 'Task', id, next, { ifMatchVersion: open.version }, tx)).result;
  } catch (err) {
    if (err instanceof CarelineError && err.code === 'precondition-failed') {
      throw new CarelineError('booking-rule', [{ diagnostics: 'This follow-up request was just booked.', expression: ['fromTask'] }]);
    }
    throw err;
  }
}
