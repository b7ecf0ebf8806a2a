import type { TChatMessage } from '@careline/contracts';
import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import type { AppointmentView } from '../links/appointment-view.js';
import { billingExtensions, type BillingFacts } from './billing-facts.js';

/**
 * The FHIR side of the room: the Encounter (created when the patient is first admitted, finished at
 * the end with the billing facts), the Appointment's status, and chat Communications.
 * Written with systemContext: the server records what happened in the room on the host's action or
 * for a guest who has no account (their right to act was proven by their ticket), and a booked
 * clinician's own policy may not cover a patient who is not yet on their care team.
 */
const ROOM = systemContext('visits-room');
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const CHAT_SENDER_NAME_EXTENSION = 'https://careline.health/fhir/StructureDefinition/visit-chat-sender-name';
export const CHAT_CATEGORY = { system: 'urn:careline:communication-category', code: 'visit-chat' };

const orgMeta = (a: AppointmentView): Record<string, unknown> => (a.organizationId ? { meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: a.organizationId }] } } : {});

function participantEntry(ref: string, host: boolean): Record<string, unknown> {
  return { type: [{ coding: [{ system: PARTICIPATION, code: host ? 'PPRF' : 'PART' }] }], individual: { reference: ref } };
}

/** Creates the in-progress Encounter (class VR) and marks the Appointment arrived. */
export async function startEncounter(store: FhirStore, a: AppointmentView, encounterId: string, practitioners: readonly string[], at: Date): Promise<void> {
  const unique = [...new Set([...(a.host ? [a.host] : []), ...practitioners])];
  // PUT with the id claimed by the room (update-as-create), so the claim and the resource agree.
  await store.update(ROOM, 'Encounter', encounterId, {
    resourceType: 'Encounter',
    id: encounterId,
    ...orgMeta(a),
    status: 'in-progress',
    class: { system: ACT_CODE_SYSTEM, code: 'VR', display: 'virtual' },
    ...(a.patient ? { subject: { reference: a.patient } } : {}),
    appointment: [{ reference: `Appointment/${a.id}` }],
    participant: unique.map((ref) => participantEntry(ref, ref === a.host)),
    period: { start: at.toISOString() },
    ...(a.organizationId ? { serviceProvider: { reference: `Organization/${a.organizationId}` } } : {}),
  });
  await setAppointmentStatus(store, a.id, 'arrived');
}

/** Adds a practitioner admitted later (a telepresenter: the access rule for telepresenters needs it). */
export async function addEncounterParticipant(store: FhirStore, encounterId: string, ref: string): Promise<void> {
  const { resource } = await store.read(ROOM, 'Encounter', encounterId);
  const participants = Array.isArray(resource.participant) ? (resource.participant as Record<string, unknown>[]) : [];
  if (participants.some((p) => (p.individual as { reference?: string } | undefined)?.reference === ref)) return;
  await store.update(ROOM, 'Encounter', encounterId, { ...resource, participant: [...participants, participantEntry(ref, false)] });
}

/** Finishes the Encounter with period.end and the billing facts; the Appointment becomes fulfilled. */
export async function finishEncounter(store: FhirStore, appointmentId: string, encounterId: string, billing: BillingFacts, at: Date): Promise<void> {
  const { resource } = await store.read(ROOM, 'Encounter', encounterId);
  const period = (resource.period ?? {}) as Record<string, unknown>;
  const kept = (Array.isArray(resource.extension) ? (resource.extension as { url?: string }[]) : []).filter((e) => !billingExtensions(billing).some((b) => b.url === e.url));
  const next: FhirResource = { ...resource, status: 'finished', period: { ...period, end: at.toISOString() }, extension: [...kept, ...billingExtensions(billing)] };
  await store.update(ROOM, 'Encounter', encounterId, next);
  await setAppointmentStatus(store, appointmentId, 'fulfilled');
}

async function setAppointmentStatus(store: FhirStore, appointmentId: string, status: 'arrived' | 'fulfilled'): Promise<void> {
  const { resource } = await store.read(ROOM, 'Appointment', appointmentId);
  if (resource.status === status || resource.status === 'cancelled') return;
  await store.update(ROOM, 'Appointment', appointmentId, { ...resource, status });
}

export interface ChatSender {
  readonly participantId: string;
  readonly displayName: string;
  /** 'Patient/<id>' | 'Practitioner/<id>' when known; a guest has none. */
  readonly fhirRef: string | null;
}

/** Saves one chat message as a Communication on the Encounter (subject: the patient). */
export async function saveChat(store: FhirStore, a: AppointmentView, encounterId: string | null, sender: ChatSender, text: string, sentAt: Date): Promise<TChatMessage> {
  const created = await store.create(ROOM, {
    resourceType: 'Communication',
    ...orgMeta(a),
    status: 'completed',
    category: [{ coding: [CHAT_CATEGORY] }],
    ...(a.patient ? { subject: { reference: a.patient } } : {}),
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    sent: sentAt.toISOString(),
    ...(sender.fhirRef ? { sender: { reference: sender.fhirRef } } : { extension: [{ url: CHAT_SENDER_NAME_EXTENSION, valueString: sender.displayName }] }),
    payload: [{ contentString: text }],
  });
  return { id: String(created.resource.id), from: sender.participantId, displayName: sender.displayName, text, sentAt: sentAt.toISOString() };
}

/** The text of a saved chat Communication ('' when it is gone). */
export async function chatText(store: FhirStore, communicationId: string): Promise<string> {
  try {
    const { resource } = await store.read(ROOM, 'Communication', communicationId);
    const payload = Array.isArray(resource.payload) ? (resource.payload as { contentString?: unknown }[]) : [];
    return typeof payload[0]?.contentString === 'string' ? payload[0].contentString : '';
  } catch {
    return '';
  }
}

export async function readResource(store: FhirStore, ref: string): Promise<FhirResource | undefined> {
  const m = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
  if (!m?.[1] || !m[2]) return undefined;
  try {
    return (await store.read(ROOM, m[1], m[2])).resource;
  } catch {
    return undefined;
  }
}
