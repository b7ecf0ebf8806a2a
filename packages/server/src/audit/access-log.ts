import type { Database } from '../platform/db/database.js';
import { CarelineError } from '../platform/errors/careline-error.js';
import type { TAccessLogEntry, TAccessLogPage } from './audit-report.types.js';
import { AuditReportRepository, type AuditRow } from './report-repository.js';

/** The role recorded with the agent (AuditEvent.agent[0].role[0].text), if any. */
function roleOf(content: string): string | null {
  const event = JSON.parse(content) as { agent?: { role?: { text?: unknown }[] }[] };
  const text = event.agent?.[0]?.role?.[0]?.text;
  return typeof text === 'string' ? text : null;
}

function entry(r: AuditRow): TAccessLogEntry {
  return { recorded: r.recorded.toISOString(), agent: r.agent, role: roleOf(r.content), action: r.action, kind: r.kind, outcome: r.outcome === 0 ? 'success' : 'failure' };
}

function badCursor(): CarelineError {
  return new CarelineError('bad-request', [{ diagnostics: 'cursor: this paging link is damaged; start again.', expression: ['query.cursor'] }]);
}

/**
 * Who accessed a patient's record (the patient's right to an accounting of disclosures, HIPAA
 * §164.528): every recorded event that names them, newest first. Agents appear as references with
 * the role they acted in; the AuditEvent's other details stay with the admins.
 */
export async function accessLog(db: Database, patientRef: string, limit: number, cursor: string | undefined): Promise<TAccessLogPage> {
  let before: { recorded: string; seq: number } | undefined;
  if (cursor) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || Number.isNaN(Date.parse(parsed[0])) || typeof parsed[1] !== 'number' || !Number.isSafeInteger(parsed[1])) {
      throw badCursor();
    }
    before = { recorded: parsed[0], seq: parsed[1] };
  }
  const rows = await new AuditReportRepository(db).forPatient(patientRef, limit, before);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(entry),
    ...(rows.length > limit && last ? { next: Buffer.from(JSON.stringify([last.recorded.toISOString(), last.seq])).toString('base64url') } : {}),
  };
}
