import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAppointment } from '@careline/contracts';
import { systemContext } from '../../fhir/index.js';
import { AccountRepository } from '../../identity/storage/account-repository.js';
import { createMailer, type Mailer } from '../../platform/mail/mailer.js';
import { AccessWorld, patientResource } from '../../test-support/access-world.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../test-support/smtp-sink.js';
import { createJoinLinks } from '../links/join-links.js';
import { hashJoinToken } from '../links/link-tokens.js';
import { icsUid } from './appointment-ics.js';
import { CANCELLED_JOB, REMINDER_JOB, reminderHandlers, type ReminderHandlers, type ReminderJob } from './appointment-reminders.js';
import { logOnlySmsSender, type SmsMessage } from './sms-sender.js';
import { calendarPart, icsUtc, icsValue, mimeParts } from '../../test-support/mail-reader.js';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
const PUBLIC = 'https://care.example.test';
const EMAIL = 'ana.reminders@example.test';
const MOBILE = '+1-555-0142';
/** Days ahead at a whole UTC hour: both reminders (24 h and 1 h before) still lie ahead. */
const daysAheadAt = (days: number, hour: number): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

interface QueuedJob { readonly data: ReminderJob; readonly startAfter: Date }

/**
 * Reminders end to end: booking through the API with the job queue on queues the 24 h and 1 h jobs in
 * pg-boss; those are run by calling the same handler the queue would (no waiting a day); the mail goes
 * through a real SMTP server and is read back as a mail client would. Cancellation goes all the way
 * through the running queue.
 */
describe('visit reminders', () => {
  let w: AccessWorld;
  let smtp: SmtpSink;
  let mailer: Mailer;
  let run: ReminderHandlers;
  const texts: SmsMessage[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    w = await AccessWorld.create({ CARELINE_JOBS: 'true', CARELINE_SMTP_URL: smtp.url, CARELINE_PUBLIC_URL: PUBLIC, CARELINE_MAIL_FROM: 'Careline <no-reply@care.example.test>' });
    const { platform, fhir } = w.t.app;
    const accounts = new AccountRepository(platform.db);
    const id = randomUUID();
    await accounts.insert({ id, email: EMAIL, passwordHash: null, fhirUser: null, emailVerified: true });
    await accounts.setFhirUser(id, 'Patient/pa');
    await w.put({ ...patientResource('pa'), name: [{ family: 'Alvarez', given: ['Ana'] }], telecom: [{ system: 'phone', use: 'mobile', value: MOBILE }] });
    const put = await w.call('front-desk', 'PUT', '/api/visits/schedule/availability?practitioner=Practitioner/dr-1', { timeZone: 'America/Denver', weekly: ALL_WEEK, exceptions: [] });
    expect(put.statusCode, put.body).toBe(200);
    mailer = createMailer({ mail: { smtpUrl: smtp.url, from: platform.config.mail.from } }, platform.log);
    const deps = { platform, store: fhir, mailer, publicBase: () => PUBLIC, accessFor: async () => systemContext('unused'), careTeamOf: async () => [] };
    // The default (log-only) sender, recorded, logging into lines this test reads.
    const logOnly = logOnlySmsSender(pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }));
    run = reminderHandlers(deps, createJoinLinks(deps), {
      send: async (message, appointmentId) => {
        texts.push(message);
        await logOnly.send(message, appointmentId);
      },
    });
  }, 120_000);
  afterAll(async () => {
    mailer.close();
    await w.close();
    await smtp.close();
  });

  /** Reminder jobs queued in pg-boss for a visit (read from its table: what the queue will run, and when). */
  const queued = async (appointmentId: string): Promise<QueuedJob[]> =>
    (await w.t.tdb.db.query<{ data: ReminderJob; start_after: Date }>(
      "SELECT data, start_after FROM pgboss.job WHERE name = $1 AND data->>'appointmentId' = $2 ORDER BY created_on", [REMINDER_JOB, appointmentId],
    )).rows.map((r) => ({ data: r.data, startAfter: new Date(r.start_after) }));

  const mailsTo = (): ReceivedMail[] => smtp.messages.filter((m) => m.to.includes(EMAIL));
  const textOf = (m: ReceivedMail): string => mimeParts(m.raw).find((p) => (p.headers['content-type'] ?? '').startsWith('text/plain'))?.body ?? '';
  const icsOf = (m: ReceivedMail): string => {
    const part = calendarPart(m.raw);
    if (!part) throw new Error('the mail has no calendar part');
    return part.body;
  };
  const linkRow = async (url: string) => (await w.t.tdb.db.query<{ appointment_id: string; kind: string; participant_ref: string | null; revoked_at: Date | null }>(
    'SELECT appointment_id, kind, participant_ref, revoked_at FROM visit_link WHERE token_hash = $1', [hashJoinToken(url.slice(url.indexOf('#t=') + 3))])).rows[0];

  let booked: TAppointment;
  let firstJoinUrl = '';

  it('booking queues the 24 h and 1 h reminders at the right moments', async () => {
    const res = await w.call('patient', 'POST', '/api/visits/appointments', { practitioner: 'Practitioner/dr-1', visitType: 'follow-up-video', start: daysAheadAt(3, 16), reason: 'REASON-chest-pain' });
    expect(res.statusCode, res.body).toBe(201);
    booked = res.json<TAppointment>();
    const jobs = await queued(booked.id);
    expect(jobs.map((j) => j.data.lead).sort()).toEqual(['1h', '24h']);
    for (const j of jobs) {
      expect(j.data).toMatchObject({ appointmentId: booked.id, start: booked.start, generation: 0 });
      const due = Date.parse(booked.start) - (j.data.lead === '24h' ? 24 * 60 : 60) * 60_000;
      expect(Math.abs(j.startAfter.getTime() - due)).toBeLessThan(60_000);
    }
  });

  it('a reminder mails an invitation (REQUEST, stable UID, UTC start, SEQUENCE 0) and the patient\'s own join link', async () => {
    const before = mailsTo().length;
    const job = (await queued(booked.id)).find((j) => j.data.lead === '24h');
    expect(await run.remind(job?.data ?? ({} as ReminderJob))).toBe('sent');
    const mail = await smtp.waitFor(EMAIL, (m) => !mailsTo().slice(0, before).includes(m));
    const ics = icsOf(mail);
    expect(icsValue(ics, 'METHOD')).toBe('REQUEST');
    expect(icsValue(ics, 'UID')).toBe(icsUid(booked.id));
    expect(icsValue(ics, 'DTSTART')).toBe(icsUtc(new Date(booked.start)));
    expect(icsValue(ics, 'SEQUENCE')).toBe('0');
    const text = textOf(mail);
    const url = /https:\/\/care\.example\.test\/visit\/join#t=[A-Za-z0-9_-]+/.exec(text)?.[0] ?? '';
    expect(url).not.toBe('');
    expect(icsValue(ics, 'URL')).toBe(url);
    expect(await linkRow(url)).toMatchObject({ appointment_id: booked.id, kind: 'patient', participant_ref: 'Patient/pa', revoked_at: null });
    // Too early to use, but a link the server knows (404 would mean unknown).
    const join = await w.t.app.inject({ method: 'POST', url: '/api/visits/join', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: url.slice(url.indexOf('#t=') + 3) }) });
    expect(join.statusCode, join.body).toBe(409);
    expect(join.body).toContain('join-link-not-open');
    expect(mail.raw).not.toContain('REASON-chest-pain');
    firstJoinUrl = url;
  });

  it('the SMS sender gets the time only, and its default logs no number, text or name', () => {
    const last = texts.at(-1);
    expect(last?.to).toBe(MOBILE);
    expect(last?.text).toContain(booked.start.slice(0, 10));
    for (const secret of ['Alvarez', 'Ana', 'Staff dr-1', 'http']) expect(last?.text).not.toContain(secret);
    const line = logLines.find((l) => l.includes(booked.id));
    expect(line).toBeDefined();
    for (const secret of [MOBILE, '5550142', last?.text ?? '-', 'Alvarez', 'Patient/pa']) expect(logLines.join('\n')).not.toContain(secret);
  });

  it('rescheduling supersedes the queued reminders (also when moved back); the new ones go out with a higher SEQUENCE', async () => {
    const oldJobs = await queued(booked.id);
    const moved = await w.call('patient', 'POST', `/api/visits/appointments/${booked.id}/reschedule`, { start: daysAheadAt(4, 17) });
    expect(moved.statusCode, moved.body).toBe(200);
    // The link from the earlier mail carried the old time window: withdrawn.
    expect((await linkRow(firstJoinUrl))?.revoked_at).not.toBeNull();
    const back = await w.call('patient', 'POST', `/api/visits/appointments/${booked.id}/reschedule`, { start: booked.start });
    expect(back.statusCode, back.body).toBe(200);
    const all = await queued(booked.id);
    expect(all.map((j) => j.data.generation)).toEqual([0, 0, 1, 1, 2, 2]);
    const before = mailsTo().length;
    for (const j of oldJobs) expect(await run.remind(j.data)).toBe('superseded');
    for (const j of all.filter((x) => x.data.generation === 1)) expect(await run.remind(j.data)).toBe('superseded');
    expect(mailsTo()).toHaveLength(before);
    const current = all.find((j) => j.data.generation === 2 && j.data.lead === '1h');
    expect(await run.remind(current?.data ?? ({} as ReminderJob))).toBe('sent');
    const mail = await smtp.waitFor(EMAIL, (m) => !mailsTo().slice(0, before).includes(m));
    const ics = icsOf(mail);
    expect(icsValue(ics, 'UID')).toBe(icsUid(booked.id));
    expect(icsValue(ics, 'DTSTART')).toBe(icsUtc(new Date(booked.start)));
    expect(Number(icsValue(ics, 'SEQUENCE'))).toBe(2);
    expect(textOf(mail)).toContain('in about an hour');
  });

  it('cancelling sends METHOD:CANCEL through the running queue; queued reminders then send nothing', async () => {
    const cancelled = await w.call('patient', 'POST', `/api/visits/appointments/${booked.id}/cancel`, { reason: 'feeling better' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const mail = await smtp.waitFor(EMAIL, (m) => icsValue(calendarPart(m.raw)?.body ?? '', 'METHOD') === 'CANCEL', 20_000);
    const ics = icsOf(mail);
    expect(icsValue(ics, 'UID')).toBe(icsUid(booked.id));
    expect(icsValue(ics, 'STATUS')).toBe('CANCELLED');
    expect(Number(icsValue(ics, 'SEQUENCE'))).toBeGreaterThan(2);
    expect(textOf(mail)).not.toContain('#t=');
    const { rows } = await w.t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>\'appointmentId\' = $2', [CANCELLED_JOB, booked.id]);
    expect(rows[0]?.n).toBe(1);
    const before = mailsTo().length;
    for (const j of await queued(booked.id)) expect(await run.remind(j.data)).toBe('superseded');
    expect(mailsTo()).toHaveLength(before);
    // Every link of the visit is withdrawn.
    const { rows: open } = await w.t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM visit_link WHERE appointment_id = $1 AND revoked_at IS NULL', [booked.id]);
    expect(open[0]?.n).toBe(0);
  });

  it('a patient without an account address gets no mail, and the job still completes', async () => {
    const res = await w.call('front-desk', 'POST', '/api/visits/appointments', { patient: 'Patient/pb', practitioner: 'Practitioner/dr-1', visitType: 'audio-only', start: daysAheadAt(5, 15) });
    expect(res.statusCode, res.body).toBe(201);
    const [job] = await queued(res.json<TAppointment>().id);
    expect(await run.remind(job?.data ?? ({} as ReminderJob))).toBe('no-address');
  });
});
