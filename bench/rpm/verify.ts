/**
 * After a backend's runs, with its server stopped: is every acknowledged reading stored, and
 * none twice? Counted in SQL on the server's own database.
 */
export interface SqlQuery {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Integrity {
  /** Readings the bench built (and sent, or was about to when a run ended). */
  readonly sent: number;
  /** Distinct Observation ids in 2xx answers. */
  readonly acknowledged: number;
  /** Live Observations whose device is one of the bench's. */
  readonly stored: number;
  /** Distinct reading keys (Observation.identifier) among them: fewer than stored means duplicates. */
  readonly distinctKeys: number;
  /** Acknowledged ids with no live Observation. */
  readonly missing: number;
  /** Rows of the reading index (monitoring_reading) of the bench's devices, as distinct Observation ids. */
  readonly indexed: number;
}

const CHUNK = 20_000;

export async function checkIntegrity(db: SqlQuery, devices: readonly string[], acked: ReadonlySet<string>, sent: number): Promise<Integrity> {
  const counted = await db.query(
    `SELECT count(*)::int AS stored, count(DISTINCT content::jsonb->'identifier'->0->>'value')::int AS keys
       FROM fhir_resource
      WHERE resource_type = 'Observation' AND NOT deleted AND (content::jsonb->'device'->>'reference') = ANY($1::text[])`,
    [devices],
  );
  const rows = counted.rows as { stored: number; keys: number }[];
  const idx = (await db.query('SELECT count(DISTINCT observation_id)::int AS n FROM monitoring_reading WHERE device = ANY($1::text[])', [devices])).rows as { n: number }[];
  const ids = [...acked];
  let found = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = (await db.query(
      "SELECT count(*)::int AS n FROM fhir_resource WHERE resource_type = 'Observation' AND NOT deleted AND id = ANY($1::text[])",
      [ids.slice(i, i + CHUNK)],
    )).rows as { n: number }[];
    found += r[0]?.n ?? 0;
  }
  return {
    sent,
    acknowledged: acked.size,
    stored: rows[0]?.stored ?? 0,
    distinctKeys: rows[0]?.keys ?? 0,
    missing: acked.size - found,
    indexed: idx[0]?.n ?? 0,
  };
}
