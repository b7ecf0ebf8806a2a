/**
 * The audit capability's HTTP surface (docs/API.md, "Audit"): the admin report with its filters,
 * sort and keyset paging, its CSV export, and a patient's own access log.
 */
import * as z from 'zod/mini';
import { ApiError, request } from './http';

export const AUDIT_SORT_COLUMNS = ['recorded', 'agent', 'action', 'kind', 'outcome', 'organization', 'seq'] as const;
export type TAuditSort = (typeof AUDIT_SORT_COLUMNS)[number];
export const AUDIT_ACTIONS = ['C', 'R', 'U', 'D', 'E'] as const;
export const AUDIT_OUTCOMES = ['0', '4', '8', '12'] as const;
/** Common event kinds (FHIR interactions and security events); the server accepts any such code. */
export const AUDIT_KINDS = ['read', 'vread', 'search-type', 'create', 'update', 'patch', 'delete', 'everything', 'login', 'logout', 'break-the-glass', 'audit-export'] as const;

const ZAuditItem = z.object({
  seq: z.number(),
  id: z.string(),
  recorded: z.string(),
  action: z.string(),
  kind: z.string(),
  outcome: z.number(),
  agent: z.nullable(z.string()),
  patients: z.array(z.string()),
  organization: z.nullable(z.string()),
});
export type TAuditItem = z.infer<typeof ZAuditItem>;
const ZAuditPage = z.object({ items: z.array(ZAuditItem), next: z.optional(z.string()) });
export type TAuditPage = z.infer<typeof ZAuditPage>;

export interface AuditFilters {
  /** Instants with a zone (ISO 8601). */
  readonly from?: string;
  readonly to?: string;
  readonly agent?: string;
  readonly patient?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly kind?: string;
}

export interface AuditQuery extends AuditFilters {
  readonly sort: TAuditSort;
  readonly order: 'asc' | 'desc';
  readonly limit?: number;
  readonly cursor?: string;
}

function queryString(q: AuditQuery, format: 'json' | 'csv'): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'agent', 'patient', 'action', 'outcome', 'kind'] as const) {
    const v = q[key];
    if (v) params.set(key, v);
  }
  params.set('sort', q.sort);
  params.set('order', q.order);
  if (format === 'json') {
    if (q.limit) params.set('limit', String(q.limit));
    if (q.cursor) params.set('cursor', q.cursor);
  } else params.set('format', 'csv');
  return params.toString();
}

export async function auditReport(q: AuditQuery, signal?: AbortSignal): Promise<TAuditPage> {
  return (await request(`/api/admin/audit?${queryString(q, 'json')}`, ZAuditPage, signal ? { signal } : {})).data;
}

/**
 * Downloads the CSV export of the filtered report with the session cookie (a GET: no CSRF token) and
 * saves it as a file. The data stays in memory only (a blob URL revoked right after the click).
 */
export async function downloadAuditCsv(q: AuditQuery): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`/api/admin/audit?${queryString(q, 'csv')}`, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/csv' } });
  } catch {
    throw new ApiError(0, 'network', undefined, undefined);
  }
  if (!res.ok) throw new ApiError(res.status, res.status === 404 ? 'not-found' : 'error', undefined, res.headers);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'careline-audit.csv';
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

const ZAccessLogEntry = z.object({
  recorded: z.string(),
  agent: z.nullable(z.string()),
  role: z.nullable(z.string()),
  action: z.string(),
  kind: z.string(),
  outcome: z.enum(['success', 'failure']),
});
export type TAccessLogEntry = z.infer<typeof ZAccessLogEntry>;
const ZAccessLogPage = z.object({ items: z.array(ZAccessLogEntry), next: z.optional(z.string()) });
export type TAccessLogPage = z.infer<typeof ZAccessLogPage>;

export async function accessLog(cursor: string | undefined, signal?: AbortSignal): Promise<TAccessLogPage> {
  const params = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
  return (await request(`/api/me/access-log?${params.toString()}`, ZAccessLogPage, signal ? { signal } : {})).data;
}
