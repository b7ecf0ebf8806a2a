import type { FastifyRequest } from 'fastify';
import type { AccessContext, FhirResource } from '../../fhir/index.js';
import { hasRole, requireUser, type UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { displayOf, nameOf, refOf, searchAll } from './fhir-query.js';

/** One visit as the caller may see it: its Appointment, its Encounter once admitted, and what the caller may do. */
export interface Visit {
  readonly ctx: AccessContext;
  readonly user: UserPrincipal;
  readonly appointmentId: string;
  readonly appointment: FhirResource;
  /** 'Patient/<id>' */
  readonly patient: string;
  /** The appointment's clinician ('Practitioner/<id>'), when it names one. */
  readonly practitioner: string | undefined;
  readonly practitionerDisplay: string | undefined;
  /** Created by the room when the patient is admitted; absent before. */
  readonly encounter: FhirResource | undefined;
  /** The caller's own Practitioner, when they are staff with one. */
  readonly self: string | undefined;
  /** The appointment's clinician, or a clinician/specialist of the patient's care team. */
  readonly canWrite: boolean;
}

const ACTIVE_ENCOUNTER = (e: FhirResource): boolean => e.status !== 'entered-in-error' && e.status !== 'cancelled';

/**
 * Loads a visit with the caller's own access: an Appointment they may not read answers 404, exactly
 * as if it did not exist (strangers learn nothing).
 */
export async function loadVisit(deps: VisitsDeps, request: FastifyRequest, appointmentId: string): Promise<Visit> {
  const user = requireUser(request);
  const ctx = await deps.accessFor(user, request);
  const appointment = (await deps.store.read(ctx, 'Appointment', appointmentId)).resource;
  const actors = (Array.isArray(appointment.participant) ? appointment.participant : []).map((p: unknown) => (p as { actor?: unknown }).actor);
  const patient = actors.map(refOf).find((r) => r?.startsWith('Patient/'));
  if (!patient) throw new CarelineError('not-found', [{ diagnostics: `Appointment/${appointmentId} has no patient.` }]);
  const host = actors.find((a) => refOf(a)?.startsWith('Practitioner/'));
  const practitioner = refOf(host);
  const encounters = (await searchAll(deps.store, ctx, 'Encounter', [['appointment', `Appointment/${appointmentId}`]])).filter(ACTIVE_ENCOUNTER);
  // One visit has one Encounter; should a reconnect ever have made two, the latest one is the visit.
  encounters.sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''));
  const self = user.fhirUser?.startsWith('Practitioner/') ? user.fhirUser : undefined;
  const clinical = hasRole(user, 'clinician') || hasRole(user, 'specialist');
  const canWrite = clinical && self !== undefined && (self === practitioner || (await deps.careTeamOf(patient)).includes(self));
  return { ctx, user, appointmentId, appointment, patient, practitioner, practitionerDisplay: displayOf(host), encounter: encounters[0], self, canWrite };
}

/** Writers only: staff who can see the visit but may not write get 403 (they know it exists). */
export function requireWriter(visit: Visit): asserts visit is Visit & { readonly self: string } {
  if (!visit.canWrite || !visit.self) {
    throw new CarelineError('forbidden', [{ diagnostics: "Only the visit's clinician or a clinician of the patient's care team may change the visit record." }]);
  }
}

export function requireEncounter(visit: Visit): FhirResource & { id: string } {
  const e = visit.encounter;
  if (!e?.id) throw new CarelineError('visit-not-started', [{ diagnostics: `Appointment/${visit.appointmentId} has no Encounter yet.` }]);
  return e as FhirResource & { id: string };
}

/** Whether the caller acts as the patient's side (patient or caregiver) rather than as staff. */
export function isPatientSide(user: UserPrincipal): boolean {
  return user.fhirUser?.startsWith('Patient/') === true || user.fhirUser?.startsWith('RelatedPerson/') === true || hasRole(user, 'patient') || hasRole(user, 'caregiver');
}

/** The caller's display name for author/requester references (their own Practitioner, which staff may read). */
export async function selfDisplay(deps: VisitsDeps, visit: Visit): Promise<string | undefined> {
  if (!visit.self) return undefined;
  if (visit.self === visit.practitioner && visit.practitionerDisplay) return visit.practitionerDisplay;
  try {
    return nameOf((await deps.store.read(visit.ctx, 'Practitioner', visit.self.slice('Practitioner/'.length))).resource);
  } catch {
    return undefined;
  }
}
