import { request, type IncomingHttpHeaders } from 'node:http';

/** Set-up calls to Careline's JSON API (not measured): node:http, one request per call. */

export interface JsonAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

export function callJson(method: 'GET' | 'POST', url: string, body: unknown, headers: Readonly<Record<string, string>> = {}): Promise<JsonAnswer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (text !== undefined) {
    h['content-type'] = 'application/json';
    h['content-length'] = String(Buffer.byteLength(text));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: 120_000, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on('error', reject);
    req.end(text);
  });
}

/** The parsed body of an answer with the expected status, or an error naming what came back. */
export async function expectJson<T>(method: 'GET' | 'POST', url: string, body: unknown, status: number, headers: Readonly<Record<string, string>> = {}): Promise<T> {
  const res = await callJson(method, url, body, headers);
  if (res.status !== status) throw new Error(`${method} ${url}: expected HTTP ${status}, got ${res.status}: ${res.body.slice(0, 500)}`);
  return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Runs fn over items with at most `width` calls in flight; results in item order. */
export async function inPool<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, () => worker()));
  return out;
}
