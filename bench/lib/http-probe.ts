import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/** One GET with node:http (lighter than fetch, whose first call loads undici inside the bench). */
export function httpGet(url: string, timeoutMs = 2_000): Promise<HttpAnswer> {
  return httpSend('GET', url, undefined, {}, timeoutMs);
}

/**
 * Polls `url` until it answers `status`, as fast as a health checker reasonably would (every 10 ms).
 * Connection errors count as "not yet".
 */
export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const res = await httpGet(url);
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(10);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** The body and content type of a 200 answer, for the raw server to repeat. */
export async function fetchBody(url: string): Promise<HttpAnswer> {
  const res = await httpGet(url);
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/** One request (node:http, no keep-alive): for set-up steps and probes, not for measuring. */
export function httpSend(method: string, url: string, body: string | undefined, headers: Readonly<Record<string, string>>, timeoutMs = 300_000): Promise<HttpAnswer> {
  const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: timeoutMs, headers: sized }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'] ?? 'application/json',
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
