import type { Queryable } from '../../platform/db/database.js';

export interface TreatmentRow {
  readonly key: string;
  readonly device: string;
  readonly patient: string;
  readonly id: string;
  readonly eventType: string;
  readonly createdAt: Date;
  readonly received: Date;
  readonly body: Record<string, unknown>;
  readonly resources: readonly string[];
}

export interface DeviceStatusRow {
  readonly id: string;
  readonly device: string;
  readonly patient: string;
  readonly createdAt: Date;
  readonly received: Date;
  readonly summary: Record<string, unknown>;
  readonly body: Record<string, unknown>;
}

/** How many status documents are kept per device (a day at one every 5 minutes). */
export const DEVICESTATUS_KEPT = 288;

/** The only SQL over Nightscout treatments and device status (migration 0010). */
export class NightscoutRepository {
  constructor(private readonly q: Queryable) {}

  /** Claims treatment keys; returns those that were new (a concurrent duplicate waits, then finds it taken). */
  async claimTreatments(rows: readonly TreatmentRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const r = await this.q.query<{ treatment_key: string }>(
      `INSERT INTO monitoring_nightscout_treatment (treatment_key, device, patient, id, event_type, created_at, received, body, resources)
       SELECT k, d, p, i::uuid, e, c, r, b::jsonb, string_to_array(res, ' ')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[]) AS t(k, d, p, i, e, c, r, b, res)
       ON CONFLICT (treatment_key) DO NOTHING
       RETURNING treatment_key`,
      [
        rows.map((x) => x.key), rows.map((x) => x.device), rows.map((x) => x.patient), rows.map((x) => x.id), rows.map((x) => x.eventType),
        rows.map((x) => x.createdAt), rows.map((x) => x.received), rows.map((x) => JSON.stringify(x.body)), rows.map((x) => x.resources.join(' ')),
      ],
    );
    return new Set(r.rows.map((x) => x.treatment_key));
  }

  async treatmentIds(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const r = await this.q.query<{ treatment_key: string; id: string }>('SELECT treatment_key, id::text AS id FROM monitoring_nightscout_treatment WHERE treatment_key = ANY($1::text[])', [keys]);
    return new Map(r.rows.map((x) => [x.treatment_key, x.id]));
  }

  async latestTreatments(patient: string, limit: number): Promise<TreatmentRow[]> {
    const r = await this.q.query<{ treatment_key: string; device: string; patient: string; id: string; event_type: string; created_at: Date; received: Date; body: Record<string, unknown>; resources: string[] }>(
      `SELECT treatment_key, device, patient, id::text AS id, event_type, created_at, received, body, resources
       FROM monitoring_nightscout_treatment WHERE patient = $1 ORDER BY created_at DESC LIMIT $2`,
      [patient, limit],
    );
    return r.rows.map((x) => ({ key: x.treatment_key, device: x.device, patient: x.patient, id: x.id, eventType: x.event_type, createdAt: x.created_at, received: x.received, body: x.body, resources: x.resources }));
  }

  /** Stores status documents and keeps only the newest DEVICESTATUS_KEPT of the device. */
  async addStatuses(rows: readonly DeviceStatusRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.q.query(
      `INSERT INTO monitoring_nightscout_devicestatus (id, device, patient, created_at, received, summary, body)
       SELECT i::uuid, d, p, c, r, s::jsonb, b::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[]) AS t(i, d, p, c, r, s, b)`,
      [rows.map((x) => x.id), rows.map((x) => x.device), rows.map((x) => x.patient), rows.map((x) => x.createdAt), rows.map((x) => x.received), rows.map((x) => JSON.stringify(x.summary)), rows.map((x) => JSON.stringify(x.body))],
    );
    const device = rows[0]?.device ?? '';
    await this.q.query(
      `DELETE FROM monitoring_nightscout_devicestatus WHERE device = $1 AND id NOT IN (
         SELECT id FROM monitoring_nightscout_devicestatus WHERE device = $1 ORDER BY created_at DESC LIMIT $2)`,
      [device, DEVICESTATUS_KEPT],
    );
  }

  async latestStatuses(patient: string, limit: number): Promise<DeviceStatusRow[]> {
    const r = await this.q.query<{ id: string; device: string; patient: string; created_at: Date; received: Date; summary: Record<string, unknown>; body: Record<string, unknown> }>(
      `SELECT id::text AS id, device, patient, created_at, received, summary, body FROM monitoring_nightscout_devicestatus
       WHERE patient = $1 ORDER BY created_at DESC LIMIT $2`,
      [patient, limit],
    );
    return r.rows.map((x) => ({ id: x.id, device: x.device, patient: x.patient, createdAt: x.created_at, received: x.received, summary: x.summary, body: x.body }));
  }
}
