import * as z from 'zod/mini';

/** The part of a FHIR OperationOutcome (@careline/contracts ZOperationOutcome) the app reads. */
const ZOutcome = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.object({
      code: z.string(),
      details: z.optional(z.object({ coding: z.optional(z.array(z.object({ code: z.string() }))) })),
      diagnostics: z.optional(z.string()),
    }),
  ),
});

/**
 * The one HTTP door of the web app. Same-origin requests with the session cookie; unsafe methods
 * carry `X-CSRF-Token` (docs/API.md, Credentials). Errors become ApiError with Careline's code from
 * the OperationOutcome (`issue[0].details.coding[0].code`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Careline error code, e.g. 'login-failed'; 'network' when the server could not be reached. */
    readonly code: string,
    readonly diagnostics: string | undefined,
    readonly headers: Headers | undefined,
  ) {
    super(`${status} ${code}${diagnostics ? `: ${diagnostics}` : ''}`);
    this.name = 'ApiError';
  }

  /** Seconds from Retry-After, when the server sent one. */
  get retryAfterSeconds(): number | undefined {
    const v = this.headers?.get('retry-after');
    const n = v ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
}

const credentials: { csrfToken: string | undefined; bearer: string | undefined } = { csrfToken: undefined, bearer: undefined };

export function setCsrfToken(token: string | undefined): void {
  credentials.csrfToken = token;
}

/** A short-lived bearer token (MFA enrolment); kept in memory only, never in storage. */
export function setBearerToken(token: string | undefined): void {
  credentials.bearer = token;
}

export function hasBearerToken(): boolean {
  return credentials.bearer !== undefined;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly accept?: string;
}

export async function request<T>(path: string, schema: z.ZodMiniType<T> | null, options: RequestOptions = {}): Promise<{ data: T; headers: Headers }> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
  else if (method !== 'GET' && credentials.csrfToken) headers['x-csrf-token'] = credentials.csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', undefined, undefined);
  }
  const text = await res.text();
  const json = parseJson(text);
  if (!res.ok) throw toApiError(res, json);
  if (schema === null) return { data: undefined as T, headers: res.headers };
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) throw new ApiError(res.status, 'unexpected-response', parsed.error.message, res.headers);
  return { data: parsed.data, headers: res.headers };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(res: Response, body: unknown): ApiError {
  const outcome = z.safeParse(ZOutcome, body);
  if (outcome.success) {
    const issue = outcome.data.issue[0];
    const code = issue?.details?.coding?.[0]?.code ?? issue?.code ?? 'error';
    return new ApiError(res.status, code, issue?.diagnostics, res.headers);
  }
  return new ApiError(res.status, res.status === 404 ? 'not-found' : 'error', undefined, res.headers);
}
