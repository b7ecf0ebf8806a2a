/**
 * Scheduling of visits (issue #6): visit types and clinic rules, bookable practitioners, weekly
 * availability, free slots, appointments (book / reschedule / cancel), interpreter links and
 * follow-ups. Request and response shapes are the server's own zod contracts (@careline/contracts).
 */
import {
  ZAppointment,
  ZAppointmentsResponse,
  ZAvailability,
  ZBookablePractitionersResponse,
  ZFollowUpResponse,
  ZFollowUpTasksResponse,
  ZGuestInvitation,
  ZMyAppointmentsResponse,
  ZSlotsResponse,
  ZVisitTypesResponse,
  type TAvailabilityInput,
  type TBookAppointmentRequest,
  type TCancelRequest,
  type TFollowUpRequest,
  type TInviteInterpreterRequest,
} from '@careline/contracts';
import type { z } from 'zod';
import { request, type RequestOptions } from './http';

/** One call with a contract schema as the response check (the explicit type keeps `data` as the schema's output). */
async function call<T>(path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  return (await request<T>(path, schema, options)).data;
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const qs = (params: Record<string, string | undefined>) => {
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return defined.length ? `?${new URLSearchParams(defined).toString()}` : '';
};
const appt = (id: string) => `/api/visits/appointments/${encodeURIComponent(id)}`;

export const schedulingKeys = {
  all: ['scheduling'] as const,
  visitTypes: ['scheduling', 'visit-types'] as const,
  practitioners: (patient?: string) => ['scheduling', 'practitioners', patient ?? ''] as const,
  availability: (practitioner: string) => ['scheduling', 'availability', practitioner] as const,
  slots: (practitioner: string, visitType: string, from: string, to: string) => ['scheduling', 'slots', practitioner, visitType, from, to] as const,
  mine: ['scheduling', 'mine'] as const,
  calendar: (from: string, to: string, practitioner?: string) => ['scheduling', 'calendar', from, to, practitioner ?? ''] as const,
  appointment: (id: string) => ['scheduling', 'appointment', id] as const,
  followUps: (patient?: string) => ['scheduling', 'follow-ups', patient ?? ''] as const,
};

export const visitTypes = async (signal?: AbortSignal) => call('/api/visits/visit-types', ZVisitTypesResponse, opts(signal));

export const bookablePractitioners = async (patient?: string, signal?: AbortSignal) =>
  (await call(`/api/visits/practitioners${qs({ patient })}`, ZBookablePractitionersResponse, opts(signal))).practitioners;

export const availability = async (practitioner: string, signal?: AbortSignal) =>
  call(`/api/visits/schedule/availability${qs({ practitioner })}`, ZAvailability, opts(signal));

export const saveAvailability = async (practitioner: string, input: TAvailabilityInput) =>
  call(`/api/visits/schedule/availability${qs({ practitioner })}`, ZAvailability, { method: 'PUT', body: input });

export const freeSlots = async (q: { practitioner: string; visitType: string; from: string; to: string }, signal?: AbortSignal) =>
  call(`/api/visits/schedule/slots${qs(q)}`, ZSlotsResponse, opts(signal));

export const bookAppointment = async (body: TBookAppointmentRequest) => call('/api/visits/appointments', ZAppointment, { method: 'POST', body });

export const calendarAppointments = async (q: { from: string; to: string; practitioner?: string; patient?: string }, signal?: AbortSignal) =>
  (await call(`/api/visits/appointments${qs(q)}`, ZAppointmentsResponse, opts(signal))).appointments;

export const myAppointments = async (signal?: AbortSignal) => call('/api/visits/appointments/mine', ZMyAppointmentsResponse, opts(signal));

export const appointment = async (id: string, signal?: AbortSignal) => call(appt(id), ZAppointment, opts(signal));

export const rescheduleAppointment = async (id: string, start: string) => call(`${appt(id)}/reschedule`, ZAppointment, { method: 'POST', body: { start } });

export const cancelAppointment = async (id: string, body: TCancelRequest) => call(`${appt(id)}/cancel`, ZAppointment, { method: 'POST', body });

export const inviteInterpreter = async (id: string, body: TInviteInterpreterRequest) => call(`${appt(id)}/interpreter`, ZGuestInvitation, { method: 'POST', body });

export const requestFollowUp = async (id: string, body: TFollowUpRequest) => call(`${appt(id)}/follow-up`, ZFollowUpResponse, { method: 'POST', body });

export const followUpTasks = async (patient?: string, signal?: AbortSignal) => (await call(`/api/visits/follow-ups${qs({ patient })}`, ZFollowUpTasksResponse, opts(signal))).tasks;
