import { randomUUID } from 'node:crypto';
import type { TJoinResponse, TParticipantKind } from '@careline/contracts';
import type { FhirStore } from '../../fhir/index.js';
import { hasRole, type Principal } from '../../identity/index.js';
import type { CarelineConfig } from '../../platform/config/config.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { appointmentView, humanName, type AppointmentView } from '../links/appointment-view.js';
import type { JoinLinks } from '../links/join-links.js';
import { hashJoinToken, joinWindow, newTicket, windowState } from '../links/link-tokens.js';
import { iceServersFor } from './ice-servers.js';
import { RoomRepository, type ParticipantRow } from './room-repository.js';
import { peerOf, visitSummary } from './room-view.js';
import { readResource } from './visit-records.js';

export interface JoinDeps {
  readonly db: Database;
  readonly store: FhirStore;
  readonly config: CarelineConfig;
  readonly links: JoinLinks;
  readonly careTeamOf: (patient: string) => Promise<string[]>;
}

const notFound = (): CarelineError => new CarelineError('not-found', [{ diagnostics: 'There is no visit here that you may join.' }]);

/**
 * Reads the Appointment with systemContext. Callers reach this only after proving a right to the
 * visit (a valid join link) or to check it against the signed-in caller: a telepresenter's own
 * policy covers a visit only once its Encounter is in progress, and a booked clinician's only once
 * the patient is on their care team, so their own context cannot tell who may wait in the room.
 */
async function loadAppointment(store: FhirStore, appointmentId: string): Promise<AppointmentView> {
  const r = await readResource(store, `Appointment/${appointmentId}`);
  const a = r ? appointmentView(r) : undefined;
  if (!a) throw notFound();
  return a;
}

async function assertOpen(deps: JoinDeps, a: AppointmentView): Promise<void> {
  if (a.status === 'cancelled') throw new CarelineError('visit-cancelled', [{ diagnostics: 'This visit was cancelled.' }]);
  const room = await new RoomRepository(deps.db).room(a.id);
  if (room?.ended_at || a.status === 'fulfilled') throw new CarelineError('visit-ended', [{ diagnostics: 'This visit has ended.' }]);
}

/** POST /api/visits/join {token}: a patient's or guest's link, no account. */
export async function joinWithLink(deps: JoinDeps, token: string, sourceIp: string): Promise<TJoinResponse> {
  const link = await deps.links.resolve(token, sourceIp);
  const a = await loadAppointment(deps.store, link.appointment_id); // the token proved the right to this visit
  await assertOpen(deps, a);
  const kind: TParticipantKind = link.kind === 'patient' ? 'patient' : 'guest';
  return enter(deps, a, link.valid_until, {
    identity: `link:${link.id}`, kind, host: false, displayName: link.display_name, role: link.role, fhirRef: link.participant_ref, linkId: link.id,
  });
}

/** POST /api/visits/:appointmentId/join: host clinician, the patient, a telepresenter of the clinic, care-team clinicians. */
export async function joinSignedIn(deps: JoinDeps, principal: Principal | undefined, appointmentId: string, now = new Date()): Promise<TJoinResponse> {
  if (!principal) throw new CarelineError('unauthorized');
  if (principal.kind !== 'user' || !principal.fhirUser) throw notFound();
  const me = principal.fhirUser;
  const a = await loadAppointment(deps.store, appointmentId);
  const org = a.organizationId;
  const clinical = (['clinician', 'nurse', 'specialist'] as const).some((r) => org !== undefined && hasRole(principal, r, org));
  let kind: TParticipantKind;
  let host = false;
  if (me === a.host) {
    kind = 'clinician';
    host = true;
  } else if (me === a.patient) kind = 'patient';
  else if (me.startsWith('Practitioner/') && org !== undefined && hasRole(principal, 'telepresenter', org)) kind = 'telepresenter';
  else if (me.startsWith('Practitioner/') && clinical && (a.practitioners.includes(me) || (a.patient !== undefined && (await deps.careTeamOf(a.patient)).includes(me)))) kind = 'clinician';
  else throw notFound(); // the same answer as a visit that does not exist
  await assertOpen(deps, a);
  const window = joinWindow(a.start, a.end, deps.config.video.joinEarlyMinutes, deps.config.video.joinLateMinutes);
  const state = windowState(window, now);
  if (state === 'not-open') throw new CarelineError('join-link-not-open', [{ diagnostics: `This visit opens at ${window.validFrom.toISOString()}.` }]);
  if (state === 'expired') throw new CarelineError('join-link-expired', [{ diagnostics: `This visit closed at ${window.validUntil.toISOString()}.` }]);
  const displayName = humanName(await readResource(deps.store, me)) ?? (kind === 'patient' ? 'Patient' : 'Clinician');
  return enter(deps, a, window.validUntil, { identity: `user:${principal.accountId}`, kind, host, displayName, role: null, fhirRef: me, linkId: null });
}

interface Entrant {
  readonly identity: string;
  readonly kind: TParticipantKind;
  readonly host: boolean;
  readonly displayName: string;
  readonly role: string | null;
  readonly fhirRef: string | null;
  readonly linkId: string | null;
}

async function enter(deps: JoinDeps, a: AppointmentView, until: Date, e: Entrant): Promise<TJoinResponse> {
  const repo = new RoomRepository(deps.db);
  await repo.ensureRoom(a.id, a.organizationId ?? null);
  // The host never waits; everyone else waits until the host admits them (again after leaving).
  const status = e.host ? 'admitted' : 'waiting';
  const p: ParticipantRow = await repo.upsertParticipant({ id: randomUUID(), appointmentId: a.id, ...e, initialStatus: status, rejoinStatus: status });
  const ticket = newTicket();
  await repo.insertTicket(hashJoinToken(ticket), p.id, until);
  const hostName = await hostNameOf(deps.store, a);
  return {
    ticket,
    ticketExpiresAt: until.toISOString(),
    self: peerOf(p),
    visit: visitSummary(a, await repo.room(a.id), hostName),
    iceServers: iceServersFor(deps.config.video, p.id, until),
    iceTransportPolicy: deps.config.video.iceTransportPolicy,
  };
}

export async function hostNameOf(store: FhirStore, a: AppointmentView): Promise<string> {
  return (a.host ? humanName(await readResource(store, a.host)) : undefined) ?? 'Clinician';
}

export { loadAppointment };
