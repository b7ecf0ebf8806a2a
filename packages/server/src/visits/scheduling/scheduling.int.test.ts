import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAppointment, TAvailability, TFollowUpTask, TGuestInvitation, TSlotsResponse, TVisitTypesResponse } from '@careline/contracts';
import { AccessWorld, PRINCIPALS } from '../../test-support/access-world.js';
import { hashJoinToken } from '../links/link-tokens.js';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
/** Tomorrow at a whole hour (UTC), clear of the 2 h notice and inside the 90-day horizon. */
const tomorrowAt = (hour: number): string => {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

describe('scheduling: availability, slots, booking', () => {
  let w: AccessWorld;
  beforeAll(async () => {
    w = await AccessWorld.create();
    const put = await w.call('front-desk', 'PUT', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1', { timeZone: 'America/New_York', weekly: ALL_WEEK, exceptions: [] });
    expect(put.statusCode, put.body).toBe(200);
  }, 60_000);
  afterAll(async () => w.close());
  const maxAuditSeq = async (): Promise<number> =>
    Number((await w.t.tdb.db.query<{ m: string }>('SELECT coalesce(max(seq), 0) AS m FROM audit_event')).rows[0]?.m ?? 0);

  it('lists the default visit types and the clinic rules', async () => {
    const res = await w.call('patient', 'GET', '/api/visits/visit-types');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<TVisitTypesResponse>();
    expect(body.visitTypes.map((t) => t.code).sort()).toEqual(['audio-only', 'follow-up-video', 'in-person', 'new-patient-video']);
    expect(body.rules.minNoticeMinutes).toBe(120);
  });

  it('availability: the practitioner and the front desk see it; a patient and another clinic do not', async () => {
    const own = await w.call('clinician', 'GET', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<TAvailability>().timeZone).toBe('America/New_York');
    expect((await w.call('patient', 'GET', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1')).statusCode).toBe(404);
    expect((await w.call('clinician-org2', 'GET', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1')).statusCode).toBe(404);
    const bad = await w.call('front-desk', 'PUT', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1', { timeZone: 'Mars/Olympus', weekly: [], exceptions: [] });
    expect(bad.statusCode).toBe(400);
  });

  it('a clinician sets their own hours (written by the server after the self check)', async () => {
    const res = await w.call('clinician', 'PUT', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1', { timeZone: 'America/New_York', weekly: ALL_WEEK, exceptions: [] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('patients see free slots honouring the notice; booking one removes it', async () => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const res = await w.call('patient', 'GET', `/api/visits/schedule/slots?practitioner=Practitioner/dr-1&visitType=follow-up-video&from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const slots = res.json<TSlotsResponse>().slots;
    expect(Date.parse(slots[0]?.start ?? '')).toBeGreaterThanOrEqual(Date.now() + 120 * 60_000 - 1000);
    const start = tomorrowAt(15);
    expect(slots.some((x) => x.start === start)).toBe(true);
    const booked = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start, preferredLanguage: 'es', interpreterNeeded: true });
    expect(booked.statusCode, booked.body).toBe(201);
    const a = booked.json<TAppointment>();
    expect(a).toMatchObject({ status: 'booked', start, patient: { reference: 'Patient/pa' }, practitioner: { reference: 'Practitioner/dr-1' }, preferredLanguage: 'es', interpreterNeeded: true, canChange: true });
    const after = await w.call('patient', 'GET', `/api/visits/schedule/slots?practitioner=Practitioner/dr-1&visitType=follow-up-video&from=${from}&to=${to}`);
    expect(after.json<TSlotsResponse>().slots.some((x) => x.start === start)).toBe(false);
    const stored = await w.stored('Appointment', a.id);
    expect(stored?.status).toBe('booked');
    // The patient's own list and the practitioner's calendar.
    const mine = await w.call('patient', 'GET', '/api/visits/appointments/mine');
    expect(mine.json<{ upcoming: TAppointment[] }>().upcoming.map((x) => x.id)).toContain(a.id);
    const cal = await w.call('clinician', 'GET', `/api/visits/appointments?from=${from}&to=${to}`);
    expect(cal.statusCode, cal.body).toBe(200);
    expect(cal.json<{ appointments: TAppointment[] }>().appointments.map((x) => x.id)).toContain(a.id);
  });

  it('a patient\'s booking and cancel, and a clinician\'s own calendar, are audited as those users (not as the server)', async () => {
    const since = await maxAuditSeq();
    const booked = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'audio-only', start: tomorrowAt(6) });
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json<TAppointment>().id;
    expect((await w.call('patient', 'POST', `/api/visits/appointments/${id}/cancel`, { reason: 'audit check' })).statusCode).toBe(200);
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await w.call('clinician', 'GET', `/api/visits/appointments?from=${from}&to=${to}`)).statusCode).toBe(200);
    const rows = (await w.t.tdb.db.query<{ kind: string; agent: string | null; patients: string[]; content: string }>(
      'SELECT kind, agent, patients, content FROM audit_event WHERE seq > $1 ORDER BY seq', [since])).rows;
    const about = rows.filter((r) => r.content.includes(`Appointment/${id}`));
    const patientUser = `User/${PRINCIPALS.patient.kind === 'user' ? PRINCIPALS.patient.accountId : ''}`;
    expect(about.filter((r) => r.kind === 'create').map((r) => r.agent)).toEqual([patientUser]);
    expect(about.filter((r) => r.kind === 'update').map((r) => r.agent)).toEqual([patientUser]);
    for (const r of about) expect(r.patients).toContain('Patient/pa');
    const clinicianUser = `User/${PRINCIPALS.clinician.kind === 'user' ? PRINCIPALS.clinician.accountId : ''}`;
    expect(rows.some((r) => r.kind === 'search-type' && r.agent === clinicianUser && r.content.includes('"Appointment"'))).toBe(true);
    // Nothing the users drove was written under a system agent.
    expect(about.filter((r) => r.agent?.startsWith('system:'))).toEqual([]);
  });

  it('booking puts the visit clinician on the patient\'s care team, so they can open the chart and write the note', async () => {
    // pb has no care team: dr-1 cannot see them before the booking.
    expect((await w.call('clinician', 'GET', '/fhir/R4/Patient/pb')).statusCode).toBe(404);
    const booked = await w.call('patientB', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(16) });
    expect(booked.statusCode, booked.body).toBe(201);
    const teams = (await w.t.tdb.db.query<{ content: string }>("SELECT content FROM fhir_resource WHERE resource_type = 'CareTeam' AND NOT deleted")).rows
      .map((r) => JSON.parse(r.content) as { subject?: { reference?: string }; participant?: { member?: { reference?: string } }[] })
      .filter((t) => t.subject?.reference === 'Patient/pb');
    expect(teams).toHaveLength(1);
    expect(teams[0]?.participant?.map((p) => p.member?.reference)).toEqual(['Practitioner/dr-1']);
    expect((await w.call('clinician', 'GET', '/fhir/R4/Patient/pb')).statusCode).toBe(200);
    // A second booking with the same clinician adds nobody twice.
    expect((await w.call('patientB', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(17) })).statusCode).toBe(201);
    const again = (await w.t.tdb.db.query<{ n: string }>("SELECT count(*) AS n FROM fhir_resource WHERE resource_type = 'CareTeam' AND content::jsonb #>> '{subject,reference}' = 'Patient/pb'")).rows[0]?.n;
    expect(Number(again)).toBe(1);
  });

  it('patients: too soon or too far is 422 booking-rule; outside hours is 409', async () => {
    const soon = new Date(Date.now() + 30 * 60_000);
    soon.setUTCSeconds(0, 0);
    const r1 = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'audio-only', start: soon.toISOString() });
    expect(r1.statusCode).toBe(422);
    expect(r1.body).toContain('booking-rule');
    const far = new Date(Date.now() + 100 * 86_400_000).toISOString();
    expect((await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'audio-only', start: far })).statusCode).toBe(422);
    const noHours = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-x', visitType: 'audio-only', start: tomorrowAt(10) });
    expect(noHours.statusCode).toBe(409);
    // Another clinic's practitioner is unknown to this patient.
    expect((await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-2', visitType: 'audio-only', start: tomorrowAt(10) })).statusCode).toBe(404);
  });

  it('concurrent bookings of one slot: exactly one 201, the rest 409 slot-unavailable', async () => {
    const start = tomorrowAt(18);
    const attempts = await Promise.all(Array.from({ length: 12 }, (_v, i) =>
      w.call(i % 2 === 0 ? 'patient' : 'front-desk', 'POST', '/api/visits/appointments', { patient: i % 2 === 0 ? undefined : 'Patient/pb', practitioner: 'Practitioner/dr-1', visitType: 'new-patient-video', start })));
    const codes = attempts.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(11);
    for (const r of attempts.filter((x) => x.statusCode === 409)) expect(r.body).toContain('slot-unavailable');
    // An overlapping (not identical) start is refused too.
    const overlap = await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pb', practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: new Date(Date.parse(start) + 15 * 60_000).toISOString() });
    expect(overlap.statusCode).toBe(409);
  });

  it('reschedule and cancel: the patient may, staff may; cancelled visits cannot change', async () => {
    const booked = (await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pa', practitioner: 'Practitioner/dr-1', visitType: 'audio-only', start: tomorrowAt(20) })).json<TAppointment>();
    const moved = await w.call('patient', 'POST', `/api/visits/appointments/${booked.id}/reschedule`, { start: tomorrowAt(21) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<TAppointment>().start).toBe(tomorrowAt(21));
    expect((await w.call('patientB', 'POST', `/api/visits/appointments/${booked.id}/cancel`, { reason: 'not mine' })).statusCode).toBe(404);
    const cancelled = await w.call('patient', 'POST', `/api/visits/appointments/${booked.id}/cancel`, { reason: 'feeling better' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<TAppointment>()).toMatchObject({ status: 'cancelled', cancelReason: 'feeling better', canChange: false });
    expect((await w.call('front-desk', 'POST', `/api/visits/appointments/${booked.id}/reschedule`, { start: tomorrowAt(22) })).statusCode).toBe(410);
  });

  it('follow-up: a care-team clinician creates a booking task the patient sees', async () => {
    const booked = (await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pa', practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(12) })).json<TAppointment>();
    const res = await w.call('clinician', 'POST', `/api/visits/appointments/${booked.id}/follow-up`, { after: { value: 2, unit: 'weeks' } });
    expect(res.statusCode, res.body).toBe(201);
    const tasks = await w.call('patient', 'GET', '/api/visits/follow-ups');
    expect(tasks.statusCode, tasks.body).toBe(200);
    expect(tasks.json<{ tasks: { basedOnAppointment: string }[] }>().tasks.map((t) => t.basedOnAppointment)).toContain(booked.id);
  });

  it('booking from a follow-up task completes it in the same transaction; a second booking from it fails and leaves nothing', async () => {
    const first = (await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pa', practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(8) })).json<TAppointment>();
    const made = await w.call('clinician', 'POST', `/api/visits/appointments/${first.id}/follow-up`, { after: { value: 1, unit: 'days' }, note: 'check BP' });
    expect(made.statusCode, made.body).toBe(201);
    const task = made.json<{ kind: 'task'; task: TFollowUpTask }>().task;
    // Another patient cannot use it; a slot that is taken leaves it open.
    expect((await w.call('patientB', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(9), fromTask: task.id })).statusCode).toBe(404);
    const taken = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(8), fromTask: task.id });
    expect(taken.statusCode).toBe(409);
    expect((await w.stored('Task', task.id))?.status).toBe('requested');
    // Two bookings from the one request at once (a double click): one wins, the other is rolled back whole.
    const starts = [tomorrowAt(9), tomorrowAt(10)];
    const both = await Promise.all(starts.map((start) => w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start, fromTask: task.id })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    const won = both.find((r) => r.statusCode === 201)?.json<TAppointment>();
    expect(both.find((r) => r.statusCode === 422)?.body).toContain('booking-rule');
    const stored = await w.stored('Task', task.id);
    expect(stored).toMatchObject({ status: 'completed', output: [{ valueReference: { reference: `Appointment/${won?.id ?? ''}` } }] });
    const appointment = await w.stored('Appointment', won?.id ?? '');
    expect(appointment).toMatchObject({ appointmentType: { coding: [{ code: 'FOLLOWUP' }] }, supportingInformation: [{ reference: `Appointment/${first.id}` }] });
    const mine = (await w.call('patient', 'GET', '/api/visits/appointments/mine')).json<{ upcoming: TAppointment[] }>().upcoming;
    expect(mine.filter((a) => starts.includes(a.start))).toHaveLength(1);
    const open = (await w.call('patient', 'GET', '/api/visits/follow-ups')).json<{ tasks: TFollowUpTask[] }>().tasks;
    expect(open.map((t) => t.id)).not.toContain(task.id);
    expect((await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: tomorrowAt(11), fromTask: task.id })).statusCode).toBe(422);
  });

  it('interpreter link: staff get a URL with the token in the fragment, bound to the visit; cancelling revokes it', async () => {
    const visit = (await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pa', practitioner: 'Practitioner/dr-1', visitType: 'new-patient-video', start: tomorrowAt(13), preferredLanguage: 'es', interpreterNeeded: true })).json<TAppointment>();
    const res = await w.call('clinician', 'POST', `/api/visits/appointments/${visit.id}/interpreter`, { displayName: 'María (intérprete)', language: 'es' });
    expect(res.statusCode, res.body).toBe(201);
    const invitation = res.json<TGuestInvitation>();
    expect(invitation.url).toMatch(/\/visit\/join#t=vl_[A-Za-z0-9_-]{43}$/);
    const token = invitation.url.slice(invitation.url.indexOf('#t=') + 3);
    const { rows } = await w.t.tdb.db.query<{ appointment_id: string; kind: string; role: string | null; participant_ref: string | null }>(
      'SELECT appointment_id, kind, role, participant_ref FROM visit_link WHERE token_hash = $1', [hashJoinToken(token)]);
    expect(rows).toEqual([{ appointment_id: visit.id, kind: 'guest', role: 'interpreter', participant_ref: null }]);
    expect(Date.parse(invitation.validFrom)).toBeLessThan(Date.parse(visit.start));
    expect(Date.parse(invitation.validUntil)).toBeGreaterThan(Date.parse(visit.end));
    // Not the patient's to hand out, nor another clinic's.
    expect((await w.call('patient', 'POST', `/api/visits/appointments/${visit.id}/interpreter`, { displayName: 'Cousin', language: 'es' })).statusCode).toBe(403);
    expect((await w.call('clinician-org2', 'POST', `/api/visits/appointments/${visit.id}/interpreter`, { displayName: 'X', language: 'es' })).statusCode).toBe(404);
    const join = async () => w.t.app.inject({ method: 'POST', url: '/api/visits/join', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });
    const early = await join();
    expect(early.statusCode, early.body).toBe(409);
    expect(early.body).toContain('join-link-not-open');
    expect((await w.call('front-desk', 'POST', `/api/visits/appointments/${visit.id}/cancel`, { reason: 'clinic closed' })).statusCode).toBe(200);
    const after = await join();
    expect(after.statusCode).toBe(410);
    expect(after.body).toContain('join-link-expired');
    expect((await w.call('clinician', 'POST', `/api/visits/appointments/${visit.id}/interpreter`, { displayName: 'Late', language: 'es' })).statusCode).toBe(410);
  });
});
