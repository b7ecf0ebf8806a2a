import type { Queryable } from '../../platform/db/database.js';

export interface AlertRow {
  readonly id: string;
  readonly patient: string;
  readonly organization_id: string;
  readonly condition: string;
  readonly severity: 'high' | 'medium';
  readonly summary: string;
  readonly status: 'open' | 'acknowledged' | 'resolved';
  readonly occurrences: number;
  readonly first_at: Date;
  readonly last_at: Date;
  readonly snoozed_until: Date | null;
  readonly flag_id: string | null;
  readonly task_id: string | null;
}

const COLUMNS = 'id, patient, organization_id, condition, severity, summary, status, occurrences, first_at, last_at, snoozed_until, flag_id, task_id';

/** The only SQL over monitoring alerts. */
export class AlertRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Opens an alert for (patient, condition), or attaches this occurrence to the one already open
   * (alert-fatigue control: one open alert per condition). `created` says which.
   */
  async raise(a: { id: string; patient: string; organizationId: string; condition: string; severity: 'high' | 'medium'; summary: string; at: Date }): Promise<{ row: AlertRow; created: boolean }> {
    const inserted = await this.q.query<AlertRow>(
      `INSERT INTO monitoring_alert (id, patient, organization_id, condition, severity, summary, status, first_at, last_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7)
       ON CONFLICT (patient, condition) WHERE status <> 'resolved' DO NOTHING
       RETURNING ${COLUMNS}`,
      [a.id, a.patient, a.organizationId, a.condition, a.severity, a.summary, a.at],
    );
    const row = inserted.rows[0];
    if (row) return { row, created: true };
    const updated = await this.q.query<AlertRow>(
      `UPDATE monitoring_alert SET occurrences = occurrences + 1, last_at = GREATEST(last_at, $3), summary = $4
       WHERE patient = $1 AND condition = $2 AND status <> 'resolved'
       RETURNING ${COLUMNS}`,
      [a.patient, a.condition, a.at, a.summary],
    );
    const again = updated.rows[0];
    if (!again) throw new Error('alert vanished between insert and update');
    return { row: again, created: false };
  }

  async setRecords(id: string, flagId: string, taskId: string): Promise<void> {
    await this.q.query('UPDATE monitoring_alert SET flag_id = $2, task_id = $3 WHERE id = $1', [id, flagId, taskId]);
  }

  async byId(id: string): Promise<AlertRow | undefined> {
    const r = await this.q.query<AlertRow>(`SELECT ${COLUMNS} FROM monitoring_alert WHERE id = $1`, [id]);
    return r.rows[0];
  }

  /**
   * Unresolved alerts in these clinics: open before acknowledged, snoozed last, then most severe and
   * newest first (the care team's queue; the caller filters by what its policy lets it see).
   */
  async queueForClinics(clinics: readonly string[], limit: number): Promise<AlertRow[]> {
    if (clinics.length === 0) return [];
    const r = await this.q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM monitoring_alert WHERE organization_id = ANY($1::text[]) AND status <> 'resolved'
       ORDER BY (status = 'open') DESC, (snoozed_until IS NOT NULL AND snoozed_until > now()) ASC, (severity = 'high') DESC, last_at DESC LIMIT $2`,
      [clinics, limit],
    );
    return r.rows;
  }

  /** The same queue for one patient (the patient page of the console). */
  async queueForPatient(clinics: readonly string[], patient: string, limit: number): Promise<AlertRow[]> {
    if (clinics.length === 0) return [];
    const r = await this.q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM monitoring_alert WHERE organization_id = ANY($1::text[]) AND patient = $2 AND status <> 'resolved'
       ORDER BY (status = 'open') DESC, (snoozed_until IS NOT NULL AND snoozed_until > now()) ASC, (severity = 'high') DESC, last_at DESC LIMIT $3`,
      [clinics, patient, limit],
    );
    return r.rows;
  }

  async acknowledge(id: string, by: string, at: Date, snoozeUntil: Date | null): Promise<AlertRow | undefined> {
    const r = await this.q.query<AlertRow>(
      `UPDATE monitoring_alert SET status = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, snoozed_until = $4
       WHERE id = $1 AND status <> 'resolved' RETURNING ${COLUMNS}`,
      [id, by, at, snoozeUntil],
    );
    return r.rows[0];
  }

  async resolve(id: string, by: string, at: Date): Promise<AlertRow | undefined> {
    const r = await this.q.query<AlertRow>(
      `UPDATE monitoring_alert SET status = 'resolved', resolved_by = $2, resolved_at = $3 WHERE id = $1 AND status <> 'resolved' RETURNING ${COLUMNS}`,
      [id, by, at],
    );
    return r.rows[0];
  }
}
