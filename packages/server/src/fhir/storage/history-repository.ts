import type { Queryable } from '../../platform/db/database.js';
import type { SearchScope } from '../access/access-policy.js';
import { scopeSql } from './search-sql.js';
import { SqlBuilder } from './sql-builder.js';

export interface HistoryRow {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  readonly deleted: boolean;
  readonly method: string;
  readonly content: string;
  readonly compartments: readonly string[];
}

export interface HistoryQuery {
  readonly resourceType?: string;
  readonly id?: string;
  readonly since?: string;
  readonly at?: string;
  /** Keyset: continue after this (lastUpdated, type, id, version), newest first. */
  readonly after?: readonly [string, string, string, number];
  readonly limit: number;
}

/**
 * Versions newest first (https://hl7.org/fhir/R4/http.html#history). Who may not read a resource
 * now sees none of its versions: visibility is judged on the current row's compartments.
 */
export class HistoryRepository {
  constructor(private readonly q: Queryable) {}

  async list(query: HistoryQuery, scope: (resourceType: string) => SearchScope): Promise<HistoryRow[]> {
    const b = new SqlBuilder();
    const where: string[] = [];
    if (query.resourceType) {
      where.push(`h.resource_type = ${b.bind(query.resourceType, 'text')}`);
      const s = scope(query.resourceType);
      if (s.kind === 'none') return [];
      where.push(scopeSql(b, 'c', s));
    } else {
      // System-wide history: only a caller who may search every type sees it.
      const s = scope('*');
      if (s.kind !== 'all') return [];
    }
    if (query.id) where.push(`h.id = ${b.bind(query.id, 'text')}`);
    if (query.since) where.push(`h.last_updated >= ${b.bind(query.since, 'timestamptz')}`);
    if (query.at) where.push(`h.last_updated <= ${b.bind(query.at, 'timestamptz')}`);
    if (query.after) {
      const [t, type, id, v] = query.after;
      where.push(
        `(h.last_updated, h.resource_type, h.id, h.version_id) < (${b.bind(t, 'timestamptz')}, ${b.bind(type, 'text')}, ${b.bind(id, 'text')}, ${b.bind(v, 'bigint')})`,
      );
    }
    const { rows } = await this.q.query<{
      resource_type: string;
      id: string;
      version_id: number;
      last_updated: Date;
      deleted: boolean;
      method: string;
      content: string;
      compartments: string[];
    }>(
      `SELECT h.resource_type, h.id, h.version_id, h.last_updated, h.deleted, h.method, h.content, c.compartments
       FROM fhir_resource_history h JOIN fhir_resource c ON c.resource_type = h.resource_type AND c.id = h.id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY h.last_updated DESC, h.resource_type DESC, h.id DESC, h.version_id DESC LIMIT ${b.bind(query.limit + 1, 'bigint')}`,
      b.values,
    );
    return rows.map((r) => ({
      resourceType: r.resource_type,
      id: r.id,
      versionId: r.version_id,
      lastUpdated: r.last_updated,
      deleted: r.deleted,
      method: r.method,
      content: r.content,
      compartments: r.compartments,
    }));
  }
}
