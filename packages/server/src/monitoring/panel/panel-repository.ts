import type { Queryable } from '../../platform/db/database.js';

export interface PanelRow {
  readonly patient: string;
  readonly organization_id: string;
  readonly programs: string[];
  readonly rules: unknown[];
  readonly high_alerts: number;
  readonly medium_alerts: number;
  readonly device_days: number;
  readonly seconds: number;
  readonly last_reading: Date | null;
}

export interface LatestValue {
  readonly patient: string;
  readonly measure: string;
  readonly value: number;
  readonly effective: Date;
}

/** The only SQL of the monitoring panel: one row per enrolled patient of the given clinics. */
export class PanelRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Enrolled patients with their open alerts, device days in the last 30 days, minutes logged since
   * `monthStart`, and their newest reading. Aggregates in SQL, so the panel costs a handful of
   * queries whatever the number of patients.
   */
  async rows(clinics: readonly string[], since30: Date, monthStart: Date): Promise<PanelRow[]> {
    if (clinics.length === 0) return [];
    const r = await this.q.query<PanelRow>(
      `WITH e AS (
         SELECT patient, organization_id, array_agg(program ORDER BY program) AS programs, jsonb_agg(rules) AS rules
         FROM monitoring_enrollment WHERE ended_at IS NULL AND organization_id = ANY($1::text[])
         GROUP BY patient, organization_id
       )
       SELECT e.patient, e.organization_id, e.programs, e.rules,
         (SELECT count(*)::int FROM monitoring_alert a WHERE a.patient = e.patient AND a.status = 'open' AND a.severity = 'high') AS high_alerts,
         (SELECT count(*)::int FROM monitoring_alert a WHERE a.patient = e.patient AND a.status = 'open' AND a.severity = 'medium') AS medium_alerts,
         (SELECT count(DISTINCT date_trunc('day', r.effective))::int FROM monitoring_reading r
            WHERE r.patient = e.patient AND r.origin = 'device' AND r.effective >= $2) AS device_days,
         (SELECT coalesce(sum(t.seconds), 0)::int FROM monitoring_time_entry t
            WHERE t.patient = e.patient AND t.deleted_at IS NULL AND t.started_at >= $3) AS seconds,
         (SELECT max(r.effective) FROM monitoring_reading r WHERE r.patient = e.patient) AS last_reading
       FROM e`,
      [clinics, since30, monthStart],
    );
    return r.rows;
  }

  /** The newest value of every measure of these patients. */
  async latest(patients: readonly string[]): Promise<LatestValue[]> {
    if (patients.length === 0) return [];
    const r = await this.q.query<LatestValue>(
      `SELECT DISTINCT ON (patient, measure) patient, measure, value, effective
       FROM monitoring_reading WHERE patient = ANY($1::text[])
       ORDER BY patient, measure, effective DESC`,
      [patients],
    );
    return r.rows;
  }
}
