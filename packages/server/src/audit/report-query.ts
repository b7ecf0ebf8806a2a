import { z } from 'zod';

/**
 * The admin audit report's query string (GET /api/admin/audit): filters, one sort column and keyset
 * paging. Everything here is parsed into a closed, typed form; the repository maps the sort name to a
 * fixed SQL expression and binds every value, so no request string ever becomes SQL.
 */
export const SORT_COLUMNS = ['recorded', 'agent', 'action', 'kind', 'outcome', 'organization', 'seq'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export const ACTIONS = ['C', 'R', 'U', 'D', 'E'] as const;
export const OUTCOMES = [0, 4, 8, 12] as const;
export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;
/** Rows one CSV export holds at most (narrow the filters for more). */
export const MAX_EXPORT = 50_000;

const instant = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be a date (YYYY-MM-DD) or an instant with a time zone',
  });
const reference = z.string().min(3).max(200).regex(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$|^system:[a-z0-9-]{1,64}$/, 'must be a reference like User/<id>');

export const ZAuditReportQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    agent: reference.optional(),
    patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>').optional(),
    action: z.enum(ACTIONS).optional(),
    outcome: z.enum(['0', '4', '8', '12']).optional(),
    kind: z.string().regex(/^[a-z][a-z-]{0,40}$/, 'must be an interaction or event code').optional(),
    sort: z.enum(SORT_COLUMNS).default('recorded'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
    cursor: z.string().max(400).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export type TAuditReportQuery = z.infer<typeof ZAuditReportQuery>;

export type CursorValue = string | number;

/** Keyset position: the sort column's value of the last row and its seq (the tie-breaker). */
export interface ReportCursor {
  readonly value: CursorValue;
  readonly seq: number;
}

export interface ReportQuery {
  readonly filters: {
    readonly from?: string;
    readonly to?: string;
    readonly agent?: string;
    readonly patient?: string;
    readonly action?: string;
    readonly outcome?: number;
    readonly kind?: string;
  };
  readonly sort: SortColumn;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly after?: ReportCursor;
  readonly format: 'json' | 'csv';
}

export class ReportQueryError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ReportQueryError';
  }
}

export function encodeCursor(c: ReportCursor): string {
  return Buffer.from(JSON.stringify([c.value, c.seq])).toString('base64url');
}

export function decodeCursor(text: string, sort: SortColumn): ReportCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new ReportQueryError('cursor', 'this paging link is damaged; start again.');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new ReportQueryError('cursor', 'this paging link is damaged; start again.');
  const [value, seq] = parsed as unknown[];
  const numeric = sort === 'outcome' || sort === 'seq';
  const valueOk = numeric ? typeof value === 'number' && Number.isSafeInteger(value) : typeof value === 'string' && value.length <= 300;
  if (!valueOk || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new ReportQueryError('cursor', 'this paging link is damaged; start again.');
  }
  if (sort === 'recorded' && Number.isNaN(Date.parse(value as string))) throw new ReportQueryError('cursor', 'this paging link is damaged; start again.');
  return { value: value as CursorValue, seq };
}

/** A date alone means the whole day (UTC): from=2025-01-02 starts at its midnight, to=2025-01-02 ends at the next. */
function bound(value: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (end) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  return new Date(value).toISOString();
}

/** Validates a raw query (already split into single values) into a ReportQuery. */
export function parseReportQuery(raw: unknown): ReportQuery {
  const r = ZAuditReportQuery.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ReportQueryError(String(issue?.path[0] ?? 'query'), issue?.message ?? 'invalid query');
  }
  const q = r.data;
  const from = q.from ? bound(q.from, false) : undefined;
  const to = q.to ? bound(q.to, true) : undefined;
  if (from && to && from > to) throw new ReportQueryError('to', 'must not be before from.');
  return {
    filters: {
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(q.agent ? { agent: q.agent } : {}),
      ...(q.patient ? { patient: q.patient } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.outcome ? { outcome: Number(q.outcome) } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    },
    sort: q.sort,
    order: q.order,
    limit: q.limit,
    ...(q.cursor ? { after: decodeCursor(q.cursor, q.sort) } : {}),
    format: q.format,
  };
}
