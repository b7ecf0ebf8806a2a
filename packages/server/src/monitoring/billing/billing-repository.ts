import type { Queryable } from '../../platform/db/database.js';

export interface BillableEnrollment {
  readonly id: string;
  readonly patient: string;
  readonly program: string;
  readonly consent_date: string | null;
  readonly setup_date: string | null;
  /** Local date the enrolment was made, in the clinic's zone. */
  readonly enrolled_on: string;
  readonly billing_practitioner: string | null;
}

export interface ClaimRow {
  readonly enrollment_id: string;
  readonly patient: string;
  readonly billing_practitioner: string | null;
  readonly codes: string[];
  readonly closed_at: Date;
  readonly closed_by: string;
}

/** The only SQL of the monthly RPM billing report. */
export class BillingRepository {
  constructor(private readonly q: Queryable) {}

  /** The clinic's active enrolments, oldest first (a patient's first enrolment is their episode). */
  async enrollments(organizationId: string, timeZone: string): Promise<BillableEnrollment[]> {
    const r = await this.q.query<BillableEnrollment>(
      `SELECT id, patient, program, to_char(consent_date, 'YYYY-MM-DD') AS consent_date, to_char(setup_date, 'YYYY-MM-DD') AS setup_date,
              to_char(enrolled_at AT TIME ZONE $2, 'YYYY-MM-DD') AS enrolled_on, billing_practitioner
       FROM monitoring_enrollment WHERE organization_id = $1 AND ended_at IS NULL ORDER BY enrolled_at, id`,
      [organizationId, timeZone],
    );
    return r.rows;
  }

  /**
   * One instant per patient and local day with a device-transmitted reading in [from, to):
   * patient-entered readings never count toward device supply (CMS: data must be
   * automatically transmitted). The day is grouped in the clinic's zone, so a month of CGM data
   * is at most 32 rows a patient.
   */
  async deviceDays(patients: readonly string[], from: Date, to: Date, timeZone: string): Promise<{ patient: string; at: Date }[]> {
    if (patients.length === 0) return [];
    const r = await this.q.query<{ patient: string; at: Date }>(
      `SELECT patient, min(effective) AS at FROM monitoring_reading
       WHERE patient = ANY($1::text[]) AND origin = 'device' AND effective >= $2 AND effective < $3
       GROUP BY patient, (effective AT TIME ZONE $4)::date`,
      [patients, from, to, timeZone],
    );
    return r.rows;
  }

  /** Enrolments whose 99453 was billed in a closed month before `month` (once per episode). */
  async setupBilledBefore(enrollmentIds: readonly string[], month: string): Promise<Set<string>> {
    if (enrollmentIds.length === 0) return new Set();
    const r = await this.q.query<{ enrollment_id: string }>(
      `SELECT DISTINCT enrollment_id FROM monitoring_billing_claim WHERE enrollment_id = ANY($1::uuid[]) AND month < $2 AND '99453' = ANY(codes)`,
      [enrollmentIds, month],
    );
    return new Set(r.rows.map((x) => x.enrollment_id));
  }

  async claims(organizationId: string, month: string): Promise<ClaimRow[]> {
    const r = await this.q.query<ClaimRow>(
      'SELECT enrollment_id, patient, billing_practitioner, codes, closed_at, closed_by FROM monitoring_billing_claim WHERE organization_id = $1 AND month = $2',
      [organizationId, month],
    );
    return r.rows;
  }

  /** Records a closed month; false when it was closed already (nothing written). */
  async close(organizationId: string, month: string, by: string, rows: readonly { enrollmentId: string; patient: string; billingPractitioner: string | null; codes: readonly string[] }[]): Promise<boolean> {
    const existing = await this.q.query('SELECT 1 FROM monitoring_billing_claim WHERE organization_id = $1 AND month = $2 LIMIT 1', [organizationId, month]);
    if (existing.rows.length > 0) return false;
    for (const row of rows) {
      await this.q.query(
        `INSERT INTO monitoring_billing_claim (organization_id, month, enrollment_id, patient, billing_practitioner, codes, closed_by)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7) ON CONFLICT DO NOTHING`,
        [organizationId, month, row.enrollmentId, row.patient, row.billingPractitioner, [...row.codes], by],
      );
    }
    return true;
  }
}
