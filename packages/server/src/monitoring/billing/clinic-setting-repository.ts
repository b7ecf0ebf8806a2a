import type { Queryable } from '../../platform/db/database.js';

/**
 * The zone a clinic without a setting counts billing days and months in. CMS counts days of service
 * in the clinic's local calendar; Careline's first clinics are in Mountain time. A clinic elsewhere
 * sets its own (PUT /api/monitoring/settings).
 */
export const DEFAULT_CLINIC_TIME_ZONE = 'America/Denver';

/** The only SQL over per-clinic monitoring settings. */
export class ClinicSettingRepository {
  constructor(private readonly q: Queryable) {}

  async timeZone(organizationId: string): Promise<string> {
    const r = await this.q.query<{ time_zone: string }>('SELECT time_zone FROM monitoring_clinic_setting WHERE organization_id = $1', [organizationId]);
    return r.rows[0]?.time_zone ?? DEFAULT_CLINIC_TIME_ZONE;
  }

  async setTimeZone(organizationId: string, timeZone: string, by: string): Promise<void> {
    await this.q.query(
      `INSERT INTO monitoring_clinic_setting (organization_id, time_zone, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (organization_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [organizationId, timeZone, by],
    );
  }
}
