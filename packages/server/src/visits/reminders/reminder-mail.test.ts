import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../fhir/index.js';
import { VISIT_MODE_EXTENSION } from '../scheduling/visit-types.js';
import { icsUid, visitIcs } from './appointment-ics.js';
import { addressOf, icsSequence, reminderMail } from './reminder-mail.js';
import { calendarPart, icsProperties, icsUtc, icsValue, mimeParts } from '../../test-support/mail-reader.js';

/** RFC 5545 §3.3.11 TEXT: `\\`, `\;`, `\,` and `\n` escapes. */
const unescapeText = (v: string): string => v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

const minute = fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2099, 0, 1) / 60_000 }).map((m) => new Date(m * 60_000));
const id = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
/** Display names as people write them: letters of any script, spaces, punctuation iCalendar escapes. */
const name = fc.array(fc.constantFrom(...'abcXYZ ñÑéü李王,;:.-\'\\'.split('')), { minLength: 1, maxLength: 90 }).map((a) => a.join('').trim()).filter((s) => s.length > 0);

describe('visitIcs (property)', () => {
  it('has the method, a UID stable per appointment, UTC start and end, the sequence and the escaped title', () => {
    fc.assert(fc.property(id, minute, fc.integer({ min: 5, max: 240 }), name, fc.nat({ max: 1000 }), fc.constantFrom('REQUEST' as const, 'CANCEL' as const), (appointmentId, start, minutes, title, sequence, method) => {
      const end = new Date(start.getTime() + minutes * 60_000);
      const text = visitIcs({ appointmentId, start, end, title, description: 'd', sequence, organizerEmail: 'careline@example.test' }, method);
      // Lines are folded at 75 octets (RFC 5545 §3.1) and end in CRLF.
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(icsValue(text, 'METHOD')).toBe(method);
      expect(icsValue(text, 'UID')).toBe(icsUid(appointmentId));
      expect(icsValue(text, 'DTSTART')).toBe(icsUtc(start));
      expect(icsValue(text, 'DTEND')).toBe(icsUtc(end));
      expect(icsValue(text, 'SEQUENCE')).toBe(String(sequence));
      expect(icsValue(text, 'STATUS')).toBe(method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
      expect(unescapeText(icsValue(text, 'SUMMARY') ?? '')).toBe(title);
      expect(icsProperties(text).filter((p) => p.name === 'BEGIN').map((p) => p.value)).toEqual(['VCALENDAR', 'VEVENT']);
    }), { numRuns: 300 });
  });
});

const appointment = (over: { version?: string; mode?: string; reason?: string; start?: Date } = {}): FhirResource => {
  const start = over.start ?? new Date('2031-05-06T15:00:00Z');
  return {
    resourceType: 'Appointment', id: 'appt-1', meta: { versionId: over.version ?? '1' }, status: 'booked',
    extension: [{ url: VISIT_MODE_EXTENSION, valueCode: over.mode ?? 'video' }],
    start: start.toISOString(), end: new Date(start.getTime() + 15 * 60_000).toISOString(), minutesDuration: 15,
    ...(over.reason ? { reasonCode: [{ text: over.reason }] } : {}),
    participant: [{ actor: { reference: 'Patient/p1', display: 'Ana Alvarez' } }, { actor: { reference: 'Practitioner/d1', display: 'Dr Daniel Ortiz' } }],
  };
};

describe('reminderMail', () => {
  it('SEQUENCE counts revisions from 0 (RFC 5545 §3.8.7.4), whatever the version id', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (v) => {
      expect(icsSequence(appointment({ version: String(v) }))).toBe(v - 1);
      expect(icsSequence(appointment({ version: String(v + 1) }))).toBeGreaterThan(icsSequence(appointment({ version: String(v) })));
    }));
    expect(icsSequence(appointment({ version: 'not-a-number' }))).toBe(0);
  });

  it('a reminder carries the join link and the invitation; the visit reason never leaves', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('24h' as const, '1h' as const), fc.constantFrom('video', 'audio'), (reason, lead, mode) => {
      const marker = `REASON-${reason}`;
      const url = 'https://care.example.test/visit/join#t=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
      const mail = reminderMail({ appointment: appointment({ reason: marker, mode }), to: 'ana@example.test', method: 'REQUEST', lead, joinUrl: url, portalUrl: 'https://care.example.test/portal', organizerEmail: 'no-reply@example.test' });
      expect(mail.text).toContain(url);
      expect(mail.text).toContain(lead === '1h' ? 'in about an hour' : 'Reminder:');
      expect(mail.text).toContain(mode === 'audio' ? 'phone visit' : 'video visit');
      const ics = mail.attachments?.[0]?.content ?? '';
      expect(icsValue(ics, 'METHOD')).toBe('REQUEST');
      expect(icsValue(ics, 'URL')).toBe(url);
      for (const part of [mail.text, mail.subject, ics]) expect(part).not.toContain(marker);
    }), { numRuns: 100 });
  });

  it('a link the calendar format refuses (a development address on port 0) still gives an invitation, without URL', () => {
    const url = 'http://127.0.0.1:0/visit/join#t=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const mail = reminderMail({ appointment: appointment({}), to: 'ana@example.test', method: 'REQUEST', lead: '1h', joinUrl: url, portalUrl: 'http://127.0.0.1:0/portal', organizerEmail: 'no-reply@example.test' });
    const ics = mail.attachments?.[0]?.content ?? '';
    expect(icsValue(ics, 'METHOD')).toBe('REQUEST');
    expect(icsValue(ics, 'URL')).toBeUndefined();
    expect(mail.text).toContain(url);
  });

  it('a cancellation is METHOD:CANCEL with the same UID and no join link', () => {
    const mail = reminderMail({ appointment: appointment({ version: '3' }), to: 'ana@example.test', method: 'CANCEL', portalUrl: 'https://care.example.test/portal', organizerEmail: 'no-reply@example.test' });
    const ics = mail.attachments?.[0]?.content ?? '';
    expect(mail.attachments?.[0]?.contentType).toContain('method=CANCEL');
    expect(icsValue(ics, 'METHOD')).toBe('CANCEL');
    expect(icsValue(ics, 'UID')).toBe(icsUid('appt-1'));
    expect(icsValue(ics, 'SEQUENCE')).toBe('2');
    expect(mail.text).not.toContain('#t=');
  });

  it('addressOf takes the address out of a From header', () => {
    expect(addressOf('Careline <no-reply@clinic.example>')).toBe('no-reply@clinic.example');
    expect(addressOf('no-reply@clinic.example')).toBe('no-reply@clinic.example');
  });
});

describe('mimeParts (property)', () => {
  it('finds the calendar attachment nodemailer composes, byte for byte, beside the text part', async () => {
    const texts = fc.sample(fc.string({ unit: 'grapheme', maxLength: 300 }), { numRuns: 40, seed: 7 });
    for (const [i, text] of texts.entries()) {
      const ics = visitIcs({ appointmentId: `a-${String(i)}`, start: new Date(Date.UTC(2030, 0, 1, i)), end: new Date(Date.UTC(2030, 0, 1, i, 30)), title: text || 'x', description: text || 'x', sequence: i, organizerEmail: 'o@example.test' }, 'REQUEST');
      const raw = await new Promise<string>((resolve, reject) => {
        new MailComposer({ from: 'o@example.test', to: 'p@example.test', subject: 's', text: `plain ${String(i)}`, attachments: [{ filename: 'invite.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=REQUEST' }] })
          .compile().build((err, message) => (err ? reject(err) : resolve(message.toString())));
      });
      expect(calendarPart(raw)?.body).toBe(ics);
      expect(mimeParts(raw).map((p) => (p.headers['content-type'] ?? '').split(';')[0])).toEqual(['text/plain', 'text/calendar']);
    }
  });
});
