import type { Queryable } from '../../platform/db/database.js';

export interface ReadingRow {
  readonly readingKey: string;
  readonly measure: string;
  readonly patient: string;
  readonly device: string;
  readonly observationId: string;
  readonly effective: Date;
  readonly received: Date;
  readonly value: number;
  readonly origin: 'device' | 'patient-entered';
}

export interface SeriesValue {
  readonly measure: string;
  readonly value: number;
  readonly at: Date;
  readonly origin: 'device' | 'patient-entered';
}

/** The only SQL of the monitoring capability's readings. */
export class ReadingRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Claims reading keys inside the caller's transaction; returns the keys that were new. A
   * concurrent claim of the same key waits for the first transaction and then finds it taken, so
   * two retries racing each other still store one reading.
   */
  async claim(rows: readonly ReadingRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const r = await this.q.query<{ reading_key: string }>(
      `INSERT INTO monitoring_reading (reading_key, measure, patient, device, observation_id, effective, received, value, origin)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::float8[], $9::text[])
       ON CONFLICT (reading_key, measure) DO NOTHING
       RETURNING reading_key`,
      [
        rows.map((x) => x.readingKey),
        rows.map((x) => x.measure),
        rows.map((x) => x.patient),
        rows.map((x) => x.device),
        rows.map((x) => x.observationId),
        rows.map((x) => x.effective),
        rows.map((x) => x.received),
        rows.map((x) => x.value),
        rows.map((x) => x.origin),
      ],
    );
    return new Set(r.rows.map((x) => x.reading_key));
  }

  /** Observation ids already stored under these keys (for answering a replay with the original). */
  async existing(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const r = await this.q.query<{ reading_key: string; observation_id: string }>(
      'SELECT DISTINCT reading_key, observation_id FROM monitoring_reading WHERE reading_key = ANY($1::text[])',
      [keys],
    );
    return new Map(r.rows.map((x) => [x.reading_key, x.observation_id]));
  }

  /** A patient's values of some measures since a time, newest first (rules, charts). */
  /**
   * `until` bounds the window from above: a late back-filled reading is judged against the readings
   * around it, not the newest 5,000 (which might all be newer and push its neighbours out).
   */
  async series(patient: string, measures: readonly string[], since: Date, limit = 5000, until: Date | null = null): Promise<SeriesValue[]> {
    const r = await this.q.query<{ measure: string; value: number; effective: Date; origin: 'device' | 'patient-entered' }>(
      `SELECT measure, value, effective, origin FROM monitoring_reading
       WHERE patient = $1 AND measure = ANY($2::text[]) AND effective >= $3 AND ($5::timestamptz IS NULL OR effective <= $5::timestamptz)
       ORDER BY effective DESC LIMIT $4`,
      [patient, measures, since, limit, until],
    );
    return r.rows.map((x) => ({ measure: x.measure, value: x.value, at: x.effective, origin: x.origin }));
  }

  /** The newest readings of these measures for one patient, with their Observation ids (Nightscout GET). */
  async latest(patient: string, measures: readonly string[], limit: number): Promise<{ measure: string; value: number; at: Date; observationId: string }[]> {
    const r = await this.q.query<{ measure: string; value: number; effective: Date; observation_id: string }>(
      `SELECT measure, value, effective, observation_id FROM monitoring_reading
       WHERE patient = $1 AND measure = ANY($2::text[])
       ORDER BY effective DESC LIMIT $3`,
      [patient, measures, limit],
    );
    return r.rows.map((x) => ({ measure: x.measure, value: x.value, at: x.effective, observationId: x.observation_id }));
  }
}
