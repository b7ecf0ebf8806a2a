import type { TAppointment, TAppointmentStatus, TVisitType } from '@careline/contracts';
import { ORGANIZATION_TAG_SYSTEM, type FhirResource, type FhirStore, type VersionedResource } from '../../fhir/index.js';
import type { Principal } from '../../identity/index.js';
import { holdsIn, selfRef, STAFF_SCHEDULERS, CLINICAL_ROLES, type Person } from './directory.js';
import { BOOKING_RULES, VISIT_MODE_EXTENSION, VISIT_TYPE_SYSTEM } from './visit-types.js';

/** FHIR Appointment ⇄ the wire shape. */
export const PREFERRED_LANGUAGE_EXTENSION = 'urn:careline:extension:preferred-language';
export const INTERPRETER_EXTENSION = 'urn:careline:extension:interpreter-needed';
export const TIME_ZONE_EXTENSION = 'urn:careline:extension:practitioner-time-zone';
/** How often the visit was moved: reminders queued for an earlier generation are superseded. */
export const RESCHEDULES_EXTENSION = 'urn:careline:extension:reschedule-count';
/** v2 table 0276 (appointment reason codes): ROUTINE, FOLLOWUP … */
const APPOINTMENT_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0276';

export interface NewAppointment {
  readonly clinic: string;
  readonly patient: Person;
  readonly practitioner: Person;
  readonly visitType: TVisitType;
  readonly start: Date;
  readonly end: Date;
  readonly timeZone: string;
  readonly reason?: string;
  readonly preferredLanguage?: string;
  readonly interpreterNeeded: boolean;
  /** The visit this one follows up. */
  readonly follows?: string;
}

export function appointmentResource(a: NewAppointment): FhirResource {
  const ext: Record<string, unknown>[] = [
    { url: VISIT_MODE_EXTENSION, valueCode: a.visitType.mode },
    { url: INTERPRETER_EXTENSION, valueBoolean: a.interpreterNeeded },
    { url: TIME_ZONE_EXTENSION, valueCode: a.timeZone },
  ];
  if (a.preferredLanguage) ext.push({ url: PREFERRED_LANGUAGE_EXTENSION, valueCode: a.preferredLanguage });
  return {
    resourceType: 'Appointment',
    meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: a.clinic }] },
    extension: ext,
    status: 'booked',
    serviceType: [{ coding: [{ system: VISIT_TYPE_SYSTEM, code: a.visitType.code, display: a.visitType.display }], text: a.visitType.display }],
    appointmentType: { coding: [{ system: APPOINTMENT_TYPE_SYSTEM, code: a.follows ? 'FOLLOWUP' : 'ROUTINE' }] },
    ...(a.reason ? { reasonCode: [{ text: a.reason }] } : {}),
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    minutesDuration: a.visitType.durationMinutes,
    created: new Date().toISOString(),
    ...(a.follows ? { supportingInformation: [{ reference: a.follows }] } : {}),
    participant: [
      { actor: { reference: a.patient.reference, display: a.patient.display }, required: 'required', status: 'accepted' },
      { actor: { reference: a.practitioner.reference, display: a.practitioner.display }, required: 'required', status: 'accepted' },
    ],
  };
}

type Ext = { url?: string; valueCode?: string; valueBoolean?: boolean };
const extOf = (r: FhirResource, url: string): Ext | undefined => (r.extension as Ext[] | undefined)?.find((e) => e.url === url);

export function participantRef(r: FhirResource, type: 'Patient' | 'Practitioner'): { reference: string; display: string } | undefined {
  const p = (r.participant as { actor?: { reference?: string; display?: string } }[] | undefined)?.find((x) => x.actor?.reference?.startsWith(`${type}/`));
  return p?.actor?.reference ? { reference: p.actor.reference, display: p.actor.display ?? p.actor.reference } : undefined;
}

export function visitTypeOfAppointment(r: FhirResource): TVisitType {
  const coding = (r.serviceType as { coding?: { system?: string; code?: string; display?: string }[] }[] | undefined)?.[0]?.coding?.find((c) => c.system === VISIT_TYPE_SYSTEM);
  const mode = extOf(r, VISIT_MODE_EXTENSION)?.valueCode;
  const minutes = typeof r.minutesDuration === 'number' ? r.minutesDuration : Math.round((Date.parse(String(r.end)) - Date.parse(String(r.start))) / 60_000);
  return {
    code: coding?.code ?? 'unknown',
    display: coding?.display ?? coding?.code ?? 'Visit',
    durationMinutes: minutes,
    mode: mode === 'audio' || mode === 'in-person' ? mode : 'video',
  };
}

export function timeZoneOf(r: FhirResource): string {
  return extOf(r, TIME_ZONE_EXTENSION)?.valueCode ?? 'UTC';
}

export function reschedulesOf(r: FhirResource): number {
  const n = (r.extension as { url?: string; valueInteger?: number }[] | undefined)?.find((e) => e.url === RESCHEDULES_EXTENSION)?.valueInteger;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/** The resource moved to a new time, its reschedule count one higher. */
export function movedTo(r: FhirResource, start: Date, end: Date): FhirResource {
  const others = ((r.extension ?? []) as { url?: string }[]).filter((e) => e.url !== RESCHEDULES_EXTENSION);
  return { ...r, start: start.toISOString(), end: end.toISOString(), extension: [...others, { url: RESCHEDULES_EXTENSION, valueInteger: reschedulesOf(r) + 1 }] };
}

export function clinicOfAppointment(r: FhirResource): string | undefined {
  return ((r.meta?.tag ?? []) as { system?: string; code?: string }[]).find((t) => t.system === ORGANIZATION_TAG_SYSTEM)?.code;
}

/** Staff may change any booked visit; a patient only until the clinic's cut-off before the start. */
export function mayChange(principal: Principal, r: FhirResource, now: Date): boolean {
  if (r.status !== 'booked') return false;
  const clinic = clinicOfAppointment(r);
  if (clinic && holdsIn(principal, [...STAFF_SCHEDULERS, ...CLINICAL_ROLES], clinic)) return true;
  const self = selfRef(principal);
  if (!self || participantRef(r, 'Patient')?.reference !== self) return false;
  return Date.parse(String(r.start)) - now.getTime() >= BOOKING_RULES.patientChangeUntilMinutes * 60_000;
}

export function toAppointment(r: FhirResource, principal: Principal, now: Date = new Date()): TAppointment {
  const patient = participantRef(r, 'Patient') ?? { reference: 'Patient/unknown', display: '' };
  const practitioner = participantRef(r, 'Practitioner') ?? { reference: 'Practitioner/unknown', display: '' };
  const reason = (r.reasonCode as { text?: string }[] | undefined)?.[0]?.text;
  const language = extOf(r, PREFERRED_LANGUAGE_EXTENSION)?.valueCode;
  const cancelReason = (r.cancelationReason as { text?: string } | undefined)?.text;
  return {
    id: String(r.id),
    status: String(r.status) as TAppointmentStatus,
    start: new Date(String(r.start)).toISOString(),
    end: new Date(String(r.end)).toISOString(),
    timeZone: timeZoneOf(r),
    visitType: visitTypeOfAppointment(r),
    patient: patient,
    practitioner: practitioner,
    ...(reason ? { reason } : {}),
    ...(language ? { preferredLanguage: language } : {}),
    interpreterNeeded: extOf(r, INTERPRETER_EXTENSION)?.valueBoolean === true,
    ...(cancelReason ? { cancelReason } : {}),
    canChange: mayChange(principal, r, now),
  };
}

/** Announces a write made inside our own transaction (the store publishes only its own autocommits). */
export function publishWrite(store: FhirStore, v: VersionedResource, method: 'POST' | 'PUT'): void {
  store.publish({ resourceType: v.resource.resourceType, id: String(v.resource.id), versionId: v.versionId, method, compartments: v.compartments ?? [] });
}
