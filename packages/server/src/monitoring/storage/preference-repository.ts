import type { Queryable } from '../../platform/db/database.js';

/** A practitioner's opt-outs as stored (see migration 0013: no row means nothing muted). */
export interface PreferenceRow {
  readonly practitioner: string;
  readonly muted_programs: string[];
  readonly muted_severities: string[];
  readonly escalation_email: boolean;
}

/** The only SQL over monitoring alert preferences. */
export class PreferenceRepository {
  constructor(private readonly q: Queryable) {}

  async of(practitioner: string): Promise<PreferenceRow | undefined> {
    return (await this.ofMany([practitioner]))[0];
  }

  /** The rows of those practitioners who have any; the others have the defaults. */
  async ofMany(practitioners: readonly string[]): Promise<PreferenceRow[]> {
    if (practitioners.length === 0) return [];
    const r = await this.q.query<PreferenceRow>(
      'SELECT practitioner, muted_programs, muted_severities, escalation_email FROM monitoring_alert_preference WHERE practitioner = ANY ($1::text[])',
      [[...practitioners]],
    );
    return r.rows;
  }

  async save(row: PreferenceRow, by: string): Promise<void> {
    await this.q.query(
      `INSERT INTO monitoring_alert_preference (practitioner, muted_programs, muted_severities, escalation_email, updated_by) VALUES ($1, $2::text[], $3::text[], $4, $5)
       ON CONFLICT (practitioner) DO UPDATE SET muted_programs = EXCLUDED.muted_programs, muted_severities = EXCLUDED.muted_severities,
         escalation_email = EXCLUDED.escalation_email, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [row.practitioner, row.muted_programs, row.muted_severities, row.escalation_email, by],
    );
  }
}
