import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { SearchScope } from '../access/access-policy.js';
import type { Filter, SortKey } from '../search/search-request.js';
import { buildCountSql, buildSearchSql, scopeSql, type PageQuery, type SortValue } from './search-sql.js';
import { SqlBuilder } from './sql-builder.js';

export interface FoundRow {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  readonly content: string;
  readonly compartments: readonly string[];
  readonly sortValues: readonly SortValue[];
}

interface Row {
  resource_type?: string;
  id: string;
  version_id: number;
  last_updated: Date;
  content: string;
  compartments: string[];
  [k: string]: unknown;
}

function toFound(r: Row, resourceType: string, sortValues: readonly SortValue[]): FoundRow {
  return { resourceType, id: r.id, versionId: r.version_id, lastUpdated: r.last_updated, content: r.content, compartments: r.compartments, sortValues };
}

/** A value the client put in a cursor or parameter that PostgreSQL cannot read (SQLSTATE class 22). */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('22')) {
      throw new CarelineError('bad-request', [{ diagnostics: 'A search value is out of range or malformed.' }]);
    }
    throw err;
  }
}

/** The SQL of FHIR search: pages, totals, and the resources that _include/_revinclude pull in. */
export class SearchRepository {
  constructor(private readonly q: Queryable) {}

  async page(resourceType: string, filters: readonly Filter[], sort: readonly SortKey[], scopeOf: (t: string) => SearchScope, page: PageQuery): Promise<FoundRow[]> {
    const built = buildSearchSql(resourceType, filters, sort, scopeOf, page);
    const { rows } = await guarded(() => this.q.query<Row>(built.text, built.values));
    return rows.map((r) => toFound(r, resourceType, Array.from({ length: built.sortColumnCount }, (_, i) => (r[`k${i}`] as string | null | undefined) ?? null)));
  }

  async count(resourceType: string, filters: readonly Filter[], scopeOf: (t: string) => SearchScope): Promise<number> {
    const built = buildCountSql(resourceType, filters, scopeOf);
    const { rows } = await guarded(() => this.q.query<{ n: number }>(built.text, built.values));
    return rows[0]?.n ?? 0;
  }

  /** References (as 'Type/id') that the given resources hold in a reference parameter ('*': any). */
  async referencesFrom(sourceType: string, ids: readonly string[], param: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const b = new SqlBuilder();
    const text = `SELECT DISTINCT s.ref FROM fhir_search s WHERE s.resource_type = ${b.bind(sourceType, 'text')}
      AND s.resource_id = ANY(${b.bind(ids, 'text[]')}) AND s.ref IS NOT NULL
      AND (${b.bind(param, 'text')} = '*' OR s.param = ${b.bind(param, 'text')})`;
    const { rows } = await this.q.query<{ ref: string }>(text, b.values);
    return rows.map((r) => r.ref);
  }

  /** Live resources by 'Type/id' reference that the caller's scope admits, at most `limit`. */
  async byReferences(refs: readonly string[], limit: number, scopeOf: (t: string) => SearchScope): Promise<FoundRow[]> {
    const pairs = refs.map((r) => r.split('/')).filter((p): p is [string, string] => p.length === 2 && Boolean(p[0]) && Boolean(p[1]));
    if (pairs.length === 0) return [];
    const b = new SqlBuilder();
    const types = b.bind(pairs.map((p) => p[0]), 'text[]');
    const ids = b.bind(pairs.map((p) => p[1]), 'text[]');
    // Each type under its own scope, in SQL, so that invisible rows never take up the limit.
    const scoped = [...new Set(pairs.map((p) => p[0]))].map((t) => `(r.resource_type = ${b.bind(t, 'text')} AND ${scopeSql(b, 'r', scopeOf(t))})`);
    const { rows } = await this.q.query<Row & { resource_type: string }>(
      `SELECT r.resource_type, r.id, r.version_id, r.last_updated, r.content, r.compartments FROM fhir_resource r
       JOIN unnest(${types}, ${ids}) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i
       WHERE NOT r.deleted AND (${scoped.join(' OR ')}) LIMIT ${b.bind(limit, 'bigint')}`,
      b.values,
    );
    return rows.map((r) => toFound(r, r.resource_type, []));
  }

  /** Live resources of sourceType, in the caller's scope, whose reference parameter points at one of refs ('*': any parameter). */
  async referencing(sourceType: string, param: string, refs: readonly string[], limit: number, scopeOf: (t: string) => SearchScope): Promise<FoundRow[]> {
    if (refs.length === 0) return [];
    const b = new SqlBuilder();
    const text = `SELECT r.resource_type, r.id, r.version_id, r.last_updated, r.content, r.compartments FROM fhir_resource r
      WHERE r.resource_type = ${b.bind(sourceType, 'text')} AND NOT r.deleted AND ${scopeSql(b, 'r', scopeOf(sourceType))} AND EXISTS (
        SELECT 1 FROM fhir_search s WHERE s.resource_type = r.resource_type AND s.resource_id = r.id
        AND (${b.bind(param, 'text')} = '*' OR s.param = ${b.bind(param, 'text')}) AND s.ref = ANY(${b.bind(refs, 'text[]')}))
      LIMIT ${b.bind(limit, 'bigint')}`;
    const { rows } = await this.q.query<Row & { resource_type: string }>(text, b.values);
    return rows.map((r) => toFound(r, r.resource_type, []));
  }
}
