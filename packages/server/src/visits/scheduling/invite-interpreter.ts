import type { TGuestInvitation, TInviteInterpreterRequest } from '@careline/contracts';
import { actorRef } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { clinicOfAppointment } from './appointment-resource.js';
import { readAppointment } from './change-appointment.js';
import { CLINICAL_ROLES, holdsIn, STAFF_SCHEDULERS } from './directory.js';
import type { Caller, Scheduling } from './scheduling-context.js';

/** A guest link (role interpreter) for one visit, by the clinic's staff; its URL is returned once. */
export async function inviteInterpreter(s: Scheduling, caller: Caller, id: string, body: TInviteInterpreterRequest): Promise<TGuestInvitation> {
  const { resource } = await readAppointment(s, caller, id);
  if (!holdsIn(caller.principal, [...CLINICAL_ROLES, ...STAFF_SCHEDULERS], clinicOfAppointment(resource) ?? '')) {
    throw new CarelineError('forbidden', [{ diagnostics: 'Only the clinic’s staff invite interpreters.' }]);
  }
  if (resource.status === 'cancelled') throw new CarelineError('visit-cancelled');
  const issued = await s.links.issue({
    appointmentId: id, kind: 'guest', displayName: body.displayName, role: 'interpreter',
    start: new Date(String(resource.start)), end: new Date(String(resource.end)), createdBy: actorRef(caller.principal),
  });
  return { linkId: issued.linkId, url: issued.url, validFrom: issued.validFrom.toISOString(), validUntil: issued.validUntil.toISOString() };
}
