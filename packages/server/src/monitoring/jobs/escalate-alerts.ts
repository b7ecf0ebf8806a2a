import type { Mailer } from '../../platform/mail/mailer.js';
import type { Platform } from '../../platform/platform.js';
import { escalationRecipients } from '../preferences/notification-rules.js';
import { EscalationRepository } from '../storage/escalation-repository.js';
import { PreferenceRepository } from '../storage/preference-repository.js';

export const ESCALATE_ALERTS = 'monitoring-escalate-alerts';

export interface EscalationDeps {
  readonly platform: Platform;
  readonly mailer: Mailer;
  /** Practitioners on a patient's active care teams. */
  readonly careTeamOf: (patient: string) => Promise<string[]>;
  /** Email addresses of the active accounts of these practitioners. */
  readonly emailsOf: (practitioners: readonly string[]) => Promise<string[]>;
  /** Where the console is, for the link in the mail. */
  readonly consoleUrl: () => string;
}

/**
 * Escalation (issue #7): an alert nobody has acknowledged within CARELINE_ALERT_ESCALATION_MINUTES
 * is emailed, once, to every practitioner on the patient's care team who kept escalation mail on
 * (or, if all turned it off, to the first member who has an address: see recipientsOf). The mail says only that an
 * alert needs attention and links to the console: no name, no value (mail is not a PHI channel).
 * Returns how many alerts were escalated.
 */
export async function escalateAlerts(deps: EscalationDeps, now: Date): Promise<number> {
  const minutes = deps.platform.config.alertEscalationMinutes;
  const due = await new EscalationRepository(deps.platform.db).claimDue(new Date(now.getTime() - minutes * 60_000), now);
  for (const alert of due) {
    const to = await recipientsOf(deps, alert.patient);
    const text = [
      `A ${alert.severity === 'high' ? 'high-priority' : ''} remote-monitoring alert for a patient on your care team has not been acknowledged for ${String(minutes)} minutes.`.replace('A  ', 'A '),
      '',
      `Open the Careline console to review it: ${deps.consoleUrl()}`,
      '',
      'This message contains no patient details on purpose.',
    ].join('\n');
    for (const address of to) await deps.mailer.send({ to: address, subject: 'Careline: a monitoring alert needs attention', text });
  }
  return due.length;
}

/**
 * The addresses to mail: the members who kept escalation mail on; if none of them (or none with an
 * active account) remains, the first care-team member with an address. An alert never reaches nobody.
 */
async function recipientsOf(deps: EscalationDeps, patient: string): Promise<string[]> {
  const team = (await deps.careTeamOf(patient)).filter((m) => m.startsWith('Practitioner/'));
  const { chosen, fallback } = escalationRecipients(team, await new PreferenceRepository(deps.platform.db).ofMany(team));
  const to = await deps.emailsOf(chosen);
  if (to.length > 0) return to;
  for (const member of fallback) {
    const first = await deps.emailsOf([member]);
    if (first.length > 0) return first;
  }
  return [];
}

/** Every minute, on one instance at a time (pg-boss), claiming alerts so none is mailed twice. */
export function defineEscalationJob(deps: EscalationDeps): void {
  deps.platform.jobs.define({
    name: ESCALATE_ALERTS,
    cron: '* * * * *',
    handler: async () => {
      const n = await escalateAlerts(deps, new Date());
      if (n > 0) deps.platform.log.info({ escalated: n }, 'monitoring alerts escalated');
    },
  });
}
