import type { TAppointment, TAppointmentsQuery, TMyAppointmentsResponse } from '@careline/contracts';
import { onBehalfOf } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { toAppointment } from './appointment-resource.js';
import { searchAll } from './fhir-query.js';
import { selfRef } from './directory.js';
import type { Caller, Scheduling } from './scheduling-context.js';

const MAX_RANGE_DAYS = 62;

/**
 * A calendar (day or week) for staff. A practitioner's own calendar is read on their behalf (audited as
 * them) once it is checked to be theirs, the query itself naming them as participant (the policy lets
 * clinicians read only their care-team patients' Appointments; reported); any other query runs with the
 * caller's own access, so it returns only what the policy allows.
 */
export async function listAppointments(s: Scheduling, caller: Caller, query: TAppointmentsQuery): Promise<TAppointment[]> {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (to <= from || to - from > MAX_RANGE_DAYS * 86_400_000) {
    throw new CarelineError('bad-request', [{ diagnostics: `"to" must be after "from", at most ${String(MAX_RANGE_DAYS)} days later.`, expression: ['to'] }]);
  }
  const self = selfRef(caller.principal);
  const practitioner = query.practitioner ?? (self?.startsWith('Practitioner/') && !query.patient ? self : undefined);
  const ownCalendar = practitioner !== undefined && practitioner === self;
  const ctx = ownCalendar ? onBehalfOf(caller.own) : caller.own;
  const found = await searchAll(s.deps.store, ctx, 'Appointment', {
    date: [`ge${new Date(from).toISOString()}`, `lt${new Date(to).toISOString()}`],
    ...(practitioner ? { actor: practitioner } : {}),
    ...(query.patient ? { patient: query.patient } : {}),
  });
  const now = s.now();
  return found.map((r) => toAppointment(r, caller.principal, now)).sort((a, b) => a.start.localeCompare(b.start));
}

/** The signed-in patient's own visits: upcoming (soonest first) and past (latest first). */
export async function myAppointments(s: Scheduling, caller: Caller): Promise<TMyAppointmentsResponse> {
  const self = selfRef(caller.principal);
  if (!self?.startsWith('Patient/')) throw new CarelineError('forbidden', [{ diagnostics: 'Only a patient has their own appointments list.' }]);
  const found = await searchAll(s.deps.store, caller.own, 'Appointment', { patient: self });
  const now = s.now();
  const all = found.map((r) => toAppointment(r, caller.principal, now));
  const upcoming = all.filter((a) => Date.parse(a.end) > now.getTime() && a.status !== 'cancelled' && a.status !== 'fulfilled' && a.status !== 'noshow');
  const past = all.filter((a) => !upcoming.includes(a));
  return { upcoming: upcoming.sort((a, b) => a.start.localeCompare(b.start)), past: past.sort((a, b) => b.start.localeCompare(a.start)) };
}
