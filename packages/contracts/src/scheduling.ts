import { z } from 'zod';
import { ZVisitMode } from './visits.js';

/**
 * Scheduling of video visits (issue #6): visit types, practitioners' weekly availability in their own
 * IANA time zone, free slots, appointments (book / reschedule / cancel), interpreter invitations and
 * follow-up requests. Server: packages/server/src/visits/scheduling. Every instant on the wire is UTC ISO
 * (`...Z`); wall-clock values (availability rules, `localStart`) belong to the practitioner's `timeZone`.
 *
 * Routes (all JSON; errors are OperationOutcome with a Careline code):
 *   GET  /api/visits/visit-types                                     → ZVisitTypesResponse
 *   GET  /api/visits/practitioners[?patient=Patient/x]               → ZBookablePractitionersResponse
 *        (a patient: their clinic's bookable practitioners; staff: pass the patient being booked for)
 *   GET  /api/visits/schedule/availability?practitioner=Practitioner/x → ZAvailability
 *   PUT  /api/visits/schedule/availability?practitioner=Practitioner/x  ZAvailabilityInput → ZAvailability
 *        (the practitioner themself, or front desk / admin of their clinic)
 *   GET  /api/visits/schedule/slots?practitioner=&visitType=&from=&to= → ZSlotsResponse (range ≤ 62 days)
 *   POST /api/visits/appointments            ZBookAppointmentRequest → 201 ZAppointment
 *        409 slot-unavailable (taken or outside availability), 422 booking-rule (notice / horizon)
 *   GET  /api/visits/appointments?from=&to=[&practitioner=][&patient=] → ZAppointmentsResponse (staff calendar, range ≤ 62 days)
 *   GET  /api/visits/appointments/mine                                → ZMyAppointmentsResponse (the signed-in patient)
 *   GET  /api/visits/appointments/:id                                 → ZAppointment
 *   POST /api/visits/appointments/:id/reschedule  ZRescheduleRequest  → ZAppointment (same id, new start)
 *   POST /api/visits/appointments/:id/cancel      ZCancelRequest      → ZAppointment (status cancelled)
 *   POST /api/visits/appointments/:id/interpreter ZInviteInterpreterRequest → 201 ZGuestInvitation (URL shown once)
 *   POST /api/visits/appointments/:id/follow-up   ZFollowUpRequest    → 201 ZFollowUpResponse
 *   GET  /api/visits/follow-ups[?patient=Patient/x]                   → ZFollowUpTasksResponse (open requests)
 */

/** A FHIR relative reference such as `Practitioner/abc`. */
const reference = (type: 'Patient' | 'Practitioner') => z.string().regex(new RegExp(`^${type}/[A-Za-z0-9\\-.]{1,64}$`), `expected ${type}/<id>`);
export const ZPatientRef = reference('Patient');
export const ZPractitionerRef = reference('Practitioner');

/** An IANA zone name the runtime knows (e.g. `America/New_York`). */
export const ZTimeZone = z.string().min(1).max(64).refine(isKnownTimeZone, 'unknown IANA time zone');

/** Wall-clock time `HH:mm` (24 h; `24:00` allowed only as an end). */
export const ZWallTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:mm');

// ---------------------------------------------------------------- visit types and clinic rules

export const ZVisitType = z.object({
  /** Stable code, e.g. `new-patient-video`; used in requests. */
  code: z.string().regex(/^[a-z0-9-]{1,40}$/),
  display: z.string(),
  durationMinutes: z.number().int().min(5).max(240),
  mode: ZVisitMode,
});
export type TVisitType = z.infer<typeof ZVisitType>;

/** The clinic's booking rules (patients; staff are exempt). */
export const ZBookingRules = z.object({
  minNoticeMinutes: z.number().int().min(0),
  maxHorizonDays: z.number().int().min(1),
  /** Patients may cancel or reschedule until this many minutes before the start. */
  patientChangeUntilMinutes: z.number().int().min(0),
});
export type TBookingRules = z.infer<typeof ZBookingRules>;

export const ZVisitTypesResponse = z.object({ visitTypes: z.array(ZVisitType), rules: ZBookingRules });
export type TVisitTypesResponse = z.infer<typeof ZVisitTypesResponse>;

// ---------------------------------------------------------------- practitioners

export const ZBookablePractitioner = z.object({
  reference: ZPractitionerRef,
  displayName: z.string(),
  timeZone: ZTimeZone,
  /** On one of the patient's active care teams (listed first). */
  onCareTeam: z.boolean(),
});
export type TBookablePractitioner = z.infer<typeof ZBookablePractitioner>;
export const ZBookablePractitionersResponse = z.object({ practitioners: z.array(ZBookablePractitioner) });
export type TBookablePractitionersResponse = z.infer<typeof ZBookablePractitionersResponse>;

// ---------------------------------------------------------------- availability

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const ZWeekday = z.number().int().min(1).max(7);

export const ZTimeRange = z
  .object({ start: ZWallTime, end: ZWallTime })
  .refine((r) => r.start !== '24:00' && r.start < r.end, { message: 'start must be before end', path: ['end'] });

export const ZWeeklyRule = z
  .object({ weekday: ZWeekday, start: ZWallTime, end: ZWallTime })
  .refine((r) => r.start !== '24:00' && r.start < r.end, { message: 'start must be before end', path: ['end'] });
export type TWeeklyRule = z.infer<typeof ZWeeklyRule>;

/** A local date in the practitioner's zone: a whole day off, or extra hours on that date. */
export const ZAvailabilityException = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('off'), date: z.iso.date(), note: z.string().max(200).optional() }),
  z
    .object({ kind: z.literal('extra'), date: z.iso.date(), start: ZWallTime, end: ZWallTime, note: z.string().max(200).optional() })
    .refine((r) => r.start !== '24:00' && r.start < r.end, { message: 'start must be before end', path: ['end'] }),
]);
export type TAvailabilityException = z.infer<typeof ZAvailabilityException>;

export const ZAvailabilityInput = z.object({
  timeZone: ZTimeZone,
  weekly: z.array(ZWeeklyRule).max(70),
  exceptions: z.array(ZAvailabilityException).max(500),
  /** Visit type codes this practitioner offers; absent or empty = all of the clinic's types. */
  visitTypes: z.array(z.string()).max(40).optional(),
});
export type TAvailabilityInput = z.infer<typeof ZAvailabilityInput>;

export const ZAvailability = ZAvailabilityInput.extend({
  practitioner: ZPractitionerRef,
  /** FHIR Schedule id; absent while the practitioner has no availability yet. */
  scheduleId: z.string().optional(),
  updatedAt: z.iso.datetime().optional(),
});
export type TAvailability = z.infer<typeof ZAvailability>;

export const ZPractitionerQuery = z.object({ practitioner: ZPractitionerRef });

// ---------------------------------------------------------------- slots

export const ZSlotsQuery = z.object({
  practitioner: ZPractitionerRef,
  visitType: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
});
export type TSlotsQuery = z.infer<typeof ZSlotsQuery>;

export const ZFreeSlot = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** The same start as wall-clock time with offset in the practitioner's zone, e.g. `2025-03-31T09:00:00+02:00`. */
  localStart: z.iso.datetime({ offset: true }),
});
export type TFreeSlot = z.infer<typeof ZFreeSlot>;

export const ZSlotsResponse = z.object({
  practitioner: ZPractitionerRef,
  timeZone: ZTimeZone,
  visitType: ZVisitType,
  slots: z.array(ZFreeSlot),
});
export type TSlotsResponse = z.infer<typeof ZSlotsResponse>;

// ---------------------------------------------------------------- appointments

export const ZAppointmentStatus = z.enum(['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow']);
export type TAppointmentStatus = z.infer<typeof ZAppointmentStatus>;

/** BCP 47 language tag, e.g. `es`, `pt-BR`. */
export const ZLanguageTag = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag');

export const ZAppointment = z.object({
  id: z.string(),
  status: ZAppointmentStatus,
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** The practitioner's zone (for wall-clock display). */
  timeZone: ZTimeZone,
  visitType: ZVisitType,
  patient: z.object({ reference: ZPatientRef, display: z.string() }),
  practitioner: z.object({ reference: ZPractitionerRef, display: z.string() }),
  reason: z.string().optional(),
  preferredLanguage: ZLanguageTag.optional(),
  interpreterNeeded: z.boolean(),
  cancelReason: z.string().optional(),
  /** Whether the caller may still cancel / reschedule (patients: until the clinic's cut-off). */
  canChange: z.boolean(),
});
export type TAppointment = z.infer<typeof ZAppointment>;

export const ZBookAppointmentRequest = z.object({
  /** Required for staff booking; a patient books for themself (omit it or give their own). */
  patient: ZPatientRef.optional(),
  practitioner: ZPractitionerRef,
  visitType: z.string(),
  start: z.iso.datetime(),
  reason: z.string().max(500).optional(),
  preferredLanguage: ZLanguageTag.optional(),
  interpreterNeeded: z.boolean().default(false),
  /** Id of the open follow-up Task (ZFollowUpTask.id) this booking answers; it is completed with the booking. */
  fromTask: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(),
});
export type TBookAppointmentRequest = z.input<typeof ZBookAppointmentRequest>;

export const ZAppointmentsQuery = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  practitioner: ZPractitionerRef.optional(),
  patient: ZPatientRef.optional(),
});
export type TAppointmentsQuery = z.infer<typeof ZAppointmentsQuery>;

export const ZAppointmentsResponse = z.object({ appointments: z.array(ZAppointment) });
export type TAppointmentsResponse = z.infer<typeof ZAppointmentsResponse>;

/** The patient's own list: upcoming soonest first, past most recent first (cancelled included). */
export const ZMyAppointmentsResponse = z.object({ upcoming: z.array(ZAppointment), past: z.array(ZAppointment) });
export type TMyAppointmentsResponse = z.infer<typeof ZMyAppointmentsResponse>;

export const ZAppointmentIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) });

export const ZRescheduleRequest = z.object({ start: z.iso.datetime() });
export type TRescheduleRequest = z.infer<typeof ZRescheduleRequest>;

export const ZCancelRequest = z.object({ reason: z.string().min(1).max(500) });
export type TCancelRequest = z.infer<typeof ZCancelRequest>;

// ---------------------------------------------------------------- interpreter

export const ZInviteInterpreterRequest = z.object({ displayName: z.string().min(1).max(120), language: ZLanguageTag });
export type TInviteInterpreterRequest = z.infer<typeof ZInviteInterpreterRequest>;

export const ZGuestInvitation = z.object({
  linkId: z.string(),
  /** Shown once: only its hash is stored. */
  url: z.string(),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
});
export type TGuestInvitation = z.infer<typeof ZGuestInvitation>;

// ---------------------------------------------------------------- follow-up

export const ZFollowUpRequest = z.object({
  after: z.object({ value: z.number().int().min(1).max(104), unit: z.enum(['days', 'weeks']) }),
  /** Book directly (same practitioner and visit type unless given); otherwise a booking task for the patient. */
  book: z.object({ start: z.iso.datetime(), visitType: z.string().optional() }).optional(),
  note: z.string().max(500).optional(),
});
export type TFollowUpRequest = z.infer<typeof ZFollowUpRequest>;

export const ZFollowUpTask = z.object({
  id: z.string(),
  status: z.enum(['requested', 'completed', 'cancelled']),
  patient: ZPatientRef,
  practitioner: z.object({ reference: ZPractitionerRef, display: z.string() }),
  visitType: z.string(),
  /** Book between these local dates (inclusive), counted from the originating visit. */
  dueFrom: z.iso.date(),
  dueTo: z.iso.date(),
  basedOnAppointment: z.string(),
  note: z.string().optional(),
});
export type TFollowUpTask = z.infer<typeof ZFollowUpTask>;

export const ZFollowUpResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('booked'), appointment: ZAppointment }),
  z.object({ kind: z.literal('task'), task: ZFollowUpTask }),
]);
export type TFollowUpResponse = z.infer<typeof ZFollowUpResponse>;

export const ZFollowUpTasksResponse = z.object({ tasks: z.array(ZFollowUpTask) });
export type TFollowUpTasksResponse = z.infer<typeof ZFollowUpTasksResponse>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
