import type { Queryable } from '../../platform/db/database.js';

export interface DueAlert {
  readonly id: string;
  readonly patient: string;
  readonly severity: 'high' | 'medium';
}

/** The only SQL of alert escalation. */
export class EscalationRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Claims the alerts still open (never acknowledged, not snoozed) since before `openSince`, marking
   * them escalated in the same statement: two instances running the job never mail twice.
   */
  async claimDue(openSince: Date, now: Date, limit = 200): Promise<DueAlert[]> {
    const r = await this.q.query<DueAlert>(
      `UPDATE monitoring_alert SET escalated_at = $2
       WHERE id IN (
         SELECT id FROM monitoring_alert
         WHERE status = 'open' AND escalated_at IS NULL AND first_at < $1 AND (snoozed_until IS NULL OR snoozed_until < $2)
         ORDER BY first_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, patient, severity`,
      [openSince, now, limit],
    );
    return r.rows;
  }
}
