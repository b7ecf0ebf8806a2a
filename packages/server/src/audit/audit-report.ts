import type { Database } from '../platform/db/database.js';
import type { AuditLog } from '../platform/audit/audit-log.js';
import type { TAuditReportItem, TAuditReportPage } from './audit-report.types.js';
import { encodeCursor, MAX_EXPORT, type ReportQuery } from './report-query.js';
import { AuditReportRepository, sortValue, type AuditRow } from './report-repository.js';

function item(r: AuditRow): TAuditReportItem {
  return {
    seq: r.seq,
    id: r.id,
    recorded: r.recorded.toISOString(),
    action: r.action,
    kind: r.kind,
    outcome: r.outcome,
    agent: r.agent,
    patients: r.patients,
    organization: r.organization,
    event: JSON.parse(r.content) as Record<string, unknown>,
  };
}

/** One page of the admin audit report. */
export async function auditReport(db: Database, query: ReportQuery): Promise<TAuditReportPage> {
  const rows = await new AuditReportRepository(db).page(query, query.limit);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(item),
    ...(rows.length > query.limit && last ? { next: encodeCursor({ value: sortValue(last, query.sort), seq: last.seq }) } : {}),
  };
}

export const CSV_COLUMNS = ['seq', 'id', 'recorded', 'action', 'kind', 'outcome', 'agent', 'patients', 'organization'] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a leading = + - @ is
 * prefixed with ' so that a spreadsheet does not run it as a formula (OWASP CSV injection).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV (filters and sort as given, from the cursor on, up to MAX_EXPORT rows). The export
 * itself is a security event, recorded before the file is answered.
 */
export async function exportAuditCsv(db: Database, audit: AuditLog, query: ReportQuery, who: { actor: string; sourceIp?: string; requestId?: string }): Promise<string> {
  await audit.security({ type: 'audit-export', outcome: 'success', actor: who.actor, ...(who.sourceIp ? { sourceIp: who.sourceIp } : {}), ...(who.requestId ? { requestId: who.requestId } : {}) });
  const repo = new AuditReportRepository(db);
  const lines = [CSV_COLUMNS.join(',')];
  let after = query.after;
  let total = 0;
  for (;;) {
    const rows = await repo.page({ ...query, ...(after ? { after } : {}) }, 1000);
    const page = rows.slice(0, 1000);
    for (const r of page) {
      if (total >= MAX_EXPORT) break;
      total++;
      lines.push(
        [String(r.seq), r.id, r.recorded.toISOString(), r.action, r.kind, String(r.outcome), r.agent ?? '', r.patients.join(' '), r.organization ?? ''].map(csvCell).join(','),
      );
    }
    const last = page.at(-1);
    if (rows.length <= 1000 || !last || total >= MAX_EXPORT) break;
    after = { value: sortValue(last, query.sort), seq: last.seq };
  }
  return `${lines.join('\r\n')}\r\n`;
}
