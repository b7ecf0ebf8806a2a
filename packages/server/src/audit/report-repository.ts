import type { Queryable } from '../platform/db/database.js';
import type { ReportCursor, ReportQuery, SortColumn } from './report-query.js';

/** Reads of audit_event for the admin report and patients' access logs (writes are in platform/audit). */

export interface AuditRow {
  readonly seq: number;
  readonly id: string;
  readonly recorded: Date;
  readonly action: string;
  readonly kind: string;
  readonly outcome: number;
  readonly agent: string | null;
  readonly patients: string[];
  readonly organization: string | null;
  readonly content: string;
}

/** Fixed SQL per sort name: nullable columns sort as '' so keyset comparisons stay total. */
const SORT_SQL: Record<SortColumn, { expr: string; cast: string }> = {
  recorded: { expr: 'recorded', cast: 'timestamptz' },
  agent: { expr: "coalesce(agent, '')", cast: 'text' },
  action: { expr: 'action', cast: 'text' },
  kind: { expr: 'kind', cast: 'text' },
  outcome: { expr: 'outcome', cast: 'smallint' },
  organization: { expr: "coalesce(organization, '')", cast: 'text' },
  seq: { expr: 'seq', cast: 'bigint' },
};

const COLUMNS = "seq, id::text AS id, recorded, action, kind, outcome, agent, patients, organization, content";

/** The sort value of a row, as its cursor carries it. */
export function sortValue(row: AuditRow, sort: SortColumn): string | number {
  switch (sort) {
    case 'recorded':
      return row.recorded.toISOString();
    case 'agent':
      return row.agent ?? '';
    case 'organization':
      return row.organization ?? '';
    case 'outcome':
      return row.outcome;
    case 'seq':
      return row.seq;
    case 'action':
      return row.action;
    case 'kind':
      return row.kind;
  }
}

export class AuditReportRepository {
  constructor(private readonly q: Queryable) {}

  /** One page in the requested order (limit + 1 rows, so the caller knows whether more follow). */
  async page(query: ReportQuery, limit: number): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const bind = (v: unknown, cast: string): string => {
      params.push(v);
      return `$${params.length}::${cast}`;
    };
    const where: string[] = [];
    const f = query.filters;
    if (f.from) where.push(`recorded >= ${bind(f.from, 'timestamptz')}`);
    if (f.to) where.push(`recorded < ${bind(f.to, 'timestamptz')}`);
    if (f.agent) where.push(`agent = ${bind(f.agent, 'text')}`);
    if (f.patient) where.push(`patients @> ARRAY[${bind(f.patient, 'text')}]`);
    if (f.action) where.push(`action = ${bind(f.action, 'text')}`);
    if (f.outcome !== undefined) where.push(`outcome = ${bind(f.outcome, 'smallint')}`);
    if (f.kind) where.push(`kind = ${bind(f.kind, 'text')}`);
    const sort = SORT_SQL[query.sort];
    const dir = query.order === 'asc' ? 'ASC' : 'DESC';
    if (query.after) where.push(keyset(sort, query.order, query.after, bind));
    const sql = `SELECT ${COLUMNS} FROM audit_event${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sort.expr} ${dir}, seq ${dir} LIMIT ${bind(limit + 1, 'int')}`;
    const { rows } = await this.q.query<AuditRow>(sql, params);
    return rows;
  }

  /** Events concerning one patient, newest first (their access log). */
  async forPatient(patientRef: string, limit: number, before?: { recorded: string; seq: number }): Promise<AuditRow[]> {
    const params: unknown[] = [patientRef, limit + 1];
    let after = '';
    if (before) {
      params.push(before.recorded, before.seq);
      after = ' AND (recorded, seq) < ($3::timestamptz, $4::bigint)';
    }
    const { rows } = await this.q.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_event WHERE patients @> ARRAY[$1::text]${after} ORDER BY recorded DESC, seq DESC LIMIT $2::int`,
      params,
    );
    return rows;
  }
}

function keyset(sort: { expr: string; cast: string }, order: 'asc' | 'desc', after: ReportCursor, bind: (v: unknown, cast: string) => string): string {
  const op = order === 'asc' ? '>' : '<';
  return `(${sort.expr}, seq) ${op} (${bind(after.value, sort.cast)}, ${bind(after.seq, 'bigint')})`;
}
