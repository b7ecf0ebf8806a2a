import type { Queryable } from '../../platform/db/database.js';
import type { MonitoringRule } from '../rules/rule-contract.js';

export interface EnrollmentRow {
  readonly id: string;
  readonly patient: string;
  readonly program: string;
  readonly organization_id: string;
  readonly care_plan_id: string;
  readonly rules: MonitoringRule[];
  readonly consent_date: string | null;
  readonly setup_date: string | null;
  readonly enrolled_at: Date;
}

const COLUMNS = "id, patient, program, organization_id, care_plan_id, rules, to_char(consent_date, 'YYYY-MM-DD') AS consent_date, to_char(setup_date, 'YYYY-MM-DD') AS setup_date, enrolled_at";

/** The only SQL over monitoring enrolments. */
export class EnrollmentRepository {
  constructor(private readonly q: Queryable) {}

  /** false when the patient is already enrolled in this program (one active enrolment each). */
  async insert(e: { id: string; patient: string; program: string; organizationId: string; carePlanId: string; rules: readonly MonitoringRule[]; consentDate: string | null; setupDate: string | null; enrolledBy: string; billingPractitioner?: string | null }): Promise<boolean> {
    const r = await this.q.query(
      `INSERT INTO monitoring_enrollment (id, patient, program, organization_id, care_plan_id, rules, consent_date, setup_date, enrolled_by, billing_practitioner)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::date, $8::date, $9, $10)
       ON CONFLICT (patient, program) WHERE ended_at IS NULL DO NOTHING`,
      [e.id, e.patient, e.program, e.organizationId, e.carePlanId, JSON.stringify(e.rules), e.consentDate, e.setupDate, e.enrolledBy, e.billingPractitioner ?? null],
    );
    return r.rowCount === 1;
  }

  async activeFor(patient: string): Promise<EnrollmentRow[]> {
    const r = await this.q.query<EnrollmentRow>(`SELECT ${COLUMNS} FROM monitoring_enrollment WHERE patient = $1 AND ended_at IS NULL ORDER BY enrolled_at`, [patient]);
    return r.rows;
  }
}
