import type { SqlRunner } from './raw-ceiling.js';

/** The bench's search, as the REST API receives it. */
export function searchPath(patientId: string): string {
  return `/fhir/R4/Observation?subject=Patient/${patientId}&code=85354-9&_sort=-date&_count=20`;
}

export interface SearchPlan {
  readonly lines: readonly string[];
  readonly executionMs: number | undefined;
  /** When fhir_search last got planner statistics (ANALYZE or autovacuum); undefined: never. */
  readonly analyzedAt: Date | undefined;
}

interface PlanRow {
  readonly 'QUERY PLAN': string;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the page query Careline runs for the bench's search, built by the
 * server's own code (parseQuery + buildSearchSql, permissive scope as with the open FHIR API).
 * Run a few times so the plan shown is a warm one, as under load.
 */
export async function explainSearch(db: SqlRunner, patientIds: readonly string[]): Promise<SearchPlan> {
  // Loaded only here: the search definitions are heavy and the load phases do not need them.
  const { parseQuery } = await import('../../packages/server/src/fhir/store/find-matches.js');
  const { buildSearchSql } = await import('../../packages/server/src/fhir/storage/search-sql.js');
  let lines: string[] = [];
  for (const patientId of patientIds.slice(0, 3)) {
    const query = new URL(searchPath(patientId), 'http://x').searchParams;
    const req = parseQuery('Observation', [...query], { lenient: false });
    const built = buildSearchSql(req.resourceType, req.filters, req.sort, () => ({ kind: 'all' }), { after: undefined, backwards: false, limit: req.count });
    const result = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${built.text}`, built.values)) as { rows: PlanRow[] };
    lines = result.rows.map((r) => r['QUERY PLAN']);
  }
  const time = lines.map((l) => /^Execution Time: ([\d.]+) ms/.exec(l)?.[1]).find((t) => t !== undefined);
  return { lines, executionMs: time === undefined ? undefined : Number(time), analyzedAt: await lastAnalyzed(db) };
}

async function lastAnalyzed(db: SqlRunner): Promise<Date | undefined> {
  const result = (await db.query(
    "SELECT greatest(last_analyze, last_autoanalyze)::text AS at FROM pg_stat_user_tables WHERE relname = 'fhir_search'",
  )) as { rows: { at: string | null }[] };
  const at = result.rows[0]?.at;
  return at ? new Date(at) : undefined;
}
