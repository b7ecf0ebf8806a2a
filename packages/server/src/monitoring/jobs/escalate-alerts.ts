import type { Mailer } from '../../platform/mail/mailer.js';
import type { Platform } from '../../platform/platform.js';
import { EscalationRepository } from '../storage/escalation-repository.js';

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
 * is emailed, once, to every practitioner on the patient's care team. The mail says only that an
 * alert needs attention and links to the console: no name, no value (mail is not a PHI channel).
 * Returns how many alerts were escalated.
 */
export async function escalateAlerts(deps: EscalationDeps, now: Date): Promise<number> {
  const minutes = deps.platform.config.alertEscalationMinutes;
  const due = await new EscalationRepository(deps.platform.db).claimDue(new Date(now.getTime() - minutes * 60_000), now);
  for (const alert of due) {
    const to = await deps.emailsOf(await deps.careTeamOf(alert.patient));
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
