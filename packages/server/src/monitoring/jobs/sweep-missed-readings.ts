import type { Database } from '../../platform/db/database.js';
import type { Platform } from '../../platform/platform.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import { evaluateMissed } from '../rules/evaluate-rules.js';
import { MissedReadingsRepository } from './missed-readings-repository.js';

export const SWEEP_MISSED_READINGS = 'monitoring-missed-readings';

/**
 * Raises a 'missed' alert for every active enrolment whose patient sent nothing for the rule's
 * days (counted from enrolment when nothing ever came). One open alert per condition, so a sweep
 * every 15 minutes attaches to the alert rather than repeating it. Returns how many it raised or
 * attached.
 */
export async function sweepMissedReadings(db: Database, alerts: AlertEngine, now: Date): Promise<number> {
  let n = 0;
  for (const e of await new MissedReadingsRepository(db).candidates()) {
    for (const hit of evaluateMissed(e.rules, e.last_at, now, e.enrolled_at)) {
      await alerts.raise(e.patient, e.organization_id, `${e.program}:${hit.ruleId}`, hit.severity, hit.summary, now);
      n += 1;
    }
  }
  return n;
}

/** Every 15 minutes, on one instance (pg-boss schedules it once across instances). */
export function defineMissedReadingsJob(platform: Platform, alerts: AlertEngine): void {
  platform.jobs.define({
    name: SWEEP_MISSED_READINGS,
    cron: '*/15 * * * *',
    handler: async () => {
      const raised = await sweepMissedReadings(platform.db, alerts, new Date());
      if (raised > 0) platform.log.info({ raised }, 'missed-readings sweep');
    },
  });
}
