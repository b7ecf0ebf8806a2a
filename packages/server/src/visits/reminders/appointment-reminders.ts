import { systemContext, type FhirResource } from '../../fhir/index.js';
import { emailsOfFhirUsers } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { participantRef, reschedulesOf } from '../scheduling/appointment-resource.js';
import type { VisitsDeps } from '../visits-deps.js';
import type { JoinLinkIssuer } from '../visit-ports.js';
import type { AppointmentReminders } from './reminder-port.js';
import { addressOf, REMINDER_LEADS, reminderMail, type Lead } from './reminder-mail.js';
import type { SmsSender } from './sms-sender.js';

export const REMINDER_JOB = 'visits-appointment-reminder';
export const CANCELLED_JOB = 'visits-appointment-cancelled';

export interface ReminderJob {
  readonly appointmentId: string;
  readonly start: string;
  readonly lead: Lead;
  /** The visit's reschedule count when queued (absent: queued before counts existed, i.e. 0). */
  readonly generation?: number;
}
export interface CancelledJob { readonly appointmentId: string }

/** What a reminder needs: no caller's access (no user is present when it runs). */
export type ReminderDeps = Pick<VisitsDeps, 'platform' | 'store' | 'mailer' | 'publicBase'>;

/** What a job run did, for tests and the job's own log line. */
export type ReminderOutcome = 'sent' | 'superseded' | 'no-address';

export interface ReminderHandlers {
  remind(job: ReminderJob): Promise<ReminderOutcome>;
  cancelled(job: CancelledJob): Promise<ReminderOutcome>;
}

/**
 * The jobs run as the server: no user drives them. Each reads one Appointment and mails that visit's own
 * patient at their account's address; reads are not audited as a job's (the mail is the disclosure, to
 * the patient themself), and nothing is written to FHIR.
 */
const REMINDERS = systemContext('visits-reminders');

export function reminderHandlers(deps: ReminderDeps, links: JoinLinkIssuer, sms: SmsSender): ReminderHandlers {
  const { platform, store, mailer } = deps;

  async function read(id: string): Promise<FhirResource | undefined> {
    try {
      return (await store.read(REMINDERS, 'Appointment', id)).resource;
    } catch (err) {
      // Deleted since it was queued: nothing to remind of (retrying would not change that).
      if (err instanceof CarelineError && (err.code === 'not-found' || err.code === 'gone')) return undefined;
      throw err;
    }
  }

  async function mobileOf(patientRef: string): Promise<string | undefined> {
    const { resource } = await store.read(REMINDERS, 'Patient', patientRef.slice('Patient/'.length));
    const telecom = (resource.telecom as { system?: string; use?: string; value?: string }[] | undefined) ?? [];
    return telecom.find((t) => (t.system === 'sms' || (t.system === 'phone' && t.use === 'mobile')) && t.value)?.value;
  }

  async function mailPatient(appointment: FhirResource, method: 'REQUEST' | 'CANCEL', lead?: Lead): Promise<ReminderOutcome> {
    const id = String(appointment.id);
    const patient = participantRef(appointment, 'Patient');
    if (!patient) return 'no-address';
    const [to] = await emailsOfFhirUsers(platform.db, [patient.reference]);
    if (!to) return 'no-address';
    let joinUrl: string | undefined;
    if (method === 'REQUEST') {
      // A fresh link per mail: only its hash is stored, so an earlier mail's link cannot be re-sent.
      joinUrl = (await links.issue({
        appointmentId: id, kind: 'patient', participantRef: patient.reference, displayName: patient.display,
        start: new Date(String(appointment.start)), end: new Date(String(appointment.end)), createdBy: 'system',
      })).url;
    }
    await mailer.send(reminderMail({
      appointment, to, method, ...(lead ? { lead } : {}), ...(joinUrl ? { joinUrl } : {}),
      portalUrl: `${deps.publicBase()}/portal`, organizerEmail: addressOf(platform.config.mail.from),
    }));
    const phone = await mobileOf(patient.reference);
    const when = `${new Date(String(appointment.start)).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
    // SMS is not a PHI channel: the time only, never the clinician, the reason or a link.
    if (phone) await sms.send({ to: phone, text: method === 'CANCEL' ? 'Your Careline visit was cancelled. Details in your email or portal.' : `Careline visit reminder: ${when}. Details in your email or portal.` }, id);
    return 'sent';
  }

  return {
    async remind(job) {
      const resource = await read(job.appointmentId);
      // Superseded: cancelled, or moved since it was queued (newer jobs exist; moved away and back
      // again too, so the visit gets one reminder per lead, not one per move). No stale mail.
      if (resource?.status !== 'booked' || new Date(String(resource.start)).toISOString() !== job.start || reschedulesOf(resource) !== (job.generation ?? 0)) return 'superseded';
      return mailPatient(resource, 'REQUEST', job.lead);
    },
    async cancelled(job) {
      const resource = await read(job.appointmentId);
      if (resource?.status !== 'cancelled') return 'superseded';
      return mailPatient(resource, 'CANCEL');
    },
  };
}

/** Defines the reminder jobs and returns what scheduling calls when a visit is booked, moved or cancelled. */
export function createReminders(deps: ReminderDeps, links: JoinLinkIssuer, sms: SmsSender): AppointmentReminders {
  const { platform } = deps;
  const handlers = reminderHandlers(deps, links, sms);
  platform.jobs.define<ReminderJob>({
    name: REMINDER_JOB,
    handler: async (job) => {
      const outcome = await handlers.remind(job);
      platform.log.info({ appointmentId: job.appointmentId, lead: job.lead, outcome }, 'visit reminder');
    },
  });
  platform.jobs.define<CancelledJob>({
    name: CANCELLED_JOB,
    handler: async (job) => {
      const outcome = await handlers.cancelled(job);
      platform.log.info({ appointmentId: job.appointmentId, outcome }, 'visit cancellation notice');
    },
  });

  return {
    async scheduled(appointmentId, start, generation) {
      // This instance runs no job queue (CARELINE_JOBS=false, e.g. most tests): nothing can be queued.
      if (!platform.config.jobs) return;
      const now = Date.now();
      for (const [lead, minutes] of Object.entries(REMINDER_LEADS) as [Lead, number][]) {
        const at = start.getTime() - minutes * 60_000;
        // Booked closer than the lead: that reminder's moment has passed (the 1 h one still goes).
        if (at <= now) continue;
        await platform.jobs.send(REMINDER_JOB, { appointmentId, start: start.toISOString(), lead, generation } satisfies ReminderJob, {
          startAfterSeconds: Math.ceil((at - now) / 1000),
        });
      }
    },
    async cancelled(appointmentId) {
      if (!platform.config.jobs) return;
      // Sent once: a cancelled visit cannot be cancelled again (assertChangeable).
      await platform.jobs.send(CANCELLED_JOB, { appointmentId } satisfies CancelledJob);
    },
  };
}
