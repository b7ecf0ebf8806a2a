import type { Queryable } from '../../platform/db/database.js';
import type { MonitoringRule } from '../rules/rule-contract.js';

export interface SweepEnrollment {
  readonly patient: string;
  readonly program: string;
  readonly organization_id: string;
  readonly rules: MonitoringRule[];
  readonly enrolled_at: Date;
  /** The patient's newest reading of any origin, or null. */
  readonly last_at: Date | null;
}

/** The only SQL of the missed-readings sweep. */
export class MissedReadingsRepository {
  constructor(private readonly q: Queryable) {}

  /** Active enrolments with a 'missed' rule, with the patient's newest reading time. */
  async candidates(): Promise<SweepEnrollment[]> {
    const r = await this.q.query<SweepEnrollment>(
      `SELECT e.patient, e.program, e.organization_id, e.rules, e.enrolled_at,
              (SELECT max(r.effective) FROM monitoring_reading r WHERE r.patient = e.patient) AS last_at
       FROM monitoring_enrollment e
       WHERE e.ended_at IS NULL AND e.rules @> '[{"kind": "missed"}]'::jsonb`,
    );
    return r.rows;
  }
}
