import type { FhirResource } from '../../fhir/index.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { participantRef, visitTypeOfAppointment } from '../scheduling/appointment-resource.js';
import { visitIcs } from './appointment-ics.js';

/** How long before the start each reminder goes out. */
export const REMINDER_LEADS = { '24h': 24 * 60, '1h': 60 } as const;
export type Lead = keyof typeof REMINDER_LEADS;

export interface ReminderMailInput {
  readonly appointment: FhirResource;
  readonly to: string;
  readonly method: 'REQUEST' | 'CANCEL';
  readonly lead?: Lead;
  /** The patient's join link (REQUEST only); absent, the mail points to the portal. */
  readonly joinUrl?: string;
  readonly portalUrl: string;
  readonly organizerEmail: string;
}

/**
 * RFC 5545 §3.8.7.4: SEQUENCE is 0 when the event is created and increases with every revision, so a
 * calendar replaces the earlier invitation. The Appointment's version counts its revisions.
 */
export function icsSequence(appointment: FhirResource): number {
  const version = Number(appointment.meta?.versionId ?? 1);
  return Number.isInteger(version) && version > 1 ? version - 1 : 0;
}

const NOUN = { video: 'video visit', audio: 'phone visit', 'in-person': 'visit' } as const;

/**
 * The reminder (METHOD:REQUEST) or cancellation (METHOD:CANCEL) mail for the patient of a visit, with
 * the calendar invitation attached. Mail goes to the patient's own verified address; it names the
 * clinician and the time, no clinical detail (no reason for the visit).
 */
export function reminderMail(input: ReminderMailInput): OutgoingMail {
  const { appointment, method, lead, joinUrl, portalUrl } = input;
  const start = new Date(String(appointment.start));
  const end = new Date(String(appointment.end));
  const mode = visitTypeOfAppointment(appointment).mode;
  const noun = NOUN[mode];
  const who = participantRef(appointment, 'Practitioner')?.display ?? 'your clinician';
  const when = `${start.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  const join = joinUrl ? `Join from this link (it opens shortly before the visit): ${joinUrl}` : `Join from your portal: ${portalUrl}`;
  const text = method === 'CANCEL'
    ? [`Your ${noun} with ${who} on ${when} has been cancelled.`, '', `To book another time, open ${portalUrl}.`].join('\n')
    : [
        lead === '1h' ? `Your ${noun} with ${who} starts in about an hour (${when}).` : `Reminder: you have a ${noun} with ${who} on ${when}.`,
        '',
        ...(mode === 'in-person' ? [] : [join, '']),
        'The attached invitation adds the visit to your calendar.',
      ].join('\n');
  const title = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} with ${who}`;
  const ics = visitIcs({
    appointmentId: String(appointment.id), start, end, title,
    description: joinUrl ? `Join: ${joinUrl}` : `Details: ${portalUrl}`,
    sequence: icsSequence(appointment), organizerEmail: input.organizerEmail, ...(joinUrl ? { url: joinUrl } : {}),
  }, method);
  return {
    to: input.to,
    subject: method === 'CANCEL' ? 'Careline: your visit was cancelled' : `Careline: your upcoming ${noun}`,
    text,
    attachments: [{ filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` }],
  };
}

/** The address part of a From header (`Careline <noreply@x>` → `noreply@x`). */
export function addressOf(from: string): string {
  const m = /<([^<>]+)>/.exec(from);
  return (m?.[1] ?? from).trim();
}
