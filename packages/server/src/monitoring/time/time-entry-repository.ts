import type { Queryable } from '../../platform/db/database.js';

export interface TimeEntryRow {
  readonly id: string;
  readonly patient: string;
  readonly organization_id: string;
  readonly practitioner: string;
  readonly account_id: string;
  readonly started_at: Date;
  readonly seconds: number;
  readonly interactive: boolean;
  readonly note: string | null;
  readonly created_at: Date;
}

const COLUMNS = 'id, patient, organization_id, practitioner, account_id, started_at, seconds, interactive, note, created_at';

/** The only SQL over monitoring time entries. */
export class TimeEntryRepository {
  constructor(private readonly q: Queryable) {}

  async insert(e: Omit<TimeEntryRow, 'created_at'>): Promise<TimeEntryRow> {
    const r = await this.q.query<TimeEntryRow>(
      `INSERT INTO monitoring_time_entry (id, patient, organization_id, practitioner, account_id, started_at, seconds, interactive, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [e.id, e.patient, e.organization_id, e.practitioner, e.account_id, e.started_at, e.seconds, e.interactive, e.note],
    );
    const row = r.rows[0];
    if (!row) throw new Error('time entry insert returned nothing');
    return row;
  }

  /** Live entries of one patient that started in [from, to). */
  async forPatient(patient: string, from: Date, to: Date): Promise<TimeEntryRow[]> {
    const r = await this.q.query<TimeEntryRow>(
      `SELECT ${COLUMNS} FROM monitoring_time_entry WHERE patient = $1 AND deleted_at IS NULL AND started_at >= $2 AND started_at < $3 ORDER BY started_at`,
      [patient, from, to],
    );
    return r.rows;
  }

  /** Live entries of a clinic that started in [from, to) (the billing report). */
  async forClinic(organizationId: string, from: Date, to: Date): Promise<TimeEntryRow[]> {
    const r = await this.q.query<TimeEntryRow>(
      `SELECT ${COLUMNS} FROM monitoring_time_entry WHERE organization_id = $1 AND deleted_at IS NULL AND started_at >= $2 AND started_at < $3 ORDER BY started_at`,
      [organizationId, from, to],
    );
    return r.rows;
  }

  async byId(id: string): Promise<TimeEntryRow | undefined> {
    const r = await this.q.query<TimeEntryRow>(`SELECT ${COLUMNS} FROM monitoring_time_entry WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return r.rows[0];
  }

  /** Marks an entry deleted (kept for reproducible closed reports); false when it was gone already. */
  async softDelete(id: string, at: Date): Promise<boolean> {
    const r = await this.q.query('UPDATE monitoring_time_entry SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL', [id, at]);
    return r.rowCount === 1;
  }
}
