/**
 * SIGTERM on the real `careline start`: stop accepting, finish what is in flight, close WebSockets
 * with 1001 (going away), release the data folder, exit 0 — also when the signal comes during start-up.
 *
 * The in-flight request is a real one, not a test-only slow route: POST /admin/local/migrate (the
 * route `careline migrate` uses) sent with `Expect: 100-continue`. Node answers "100 Continue" only
 * once it has parsed the headers and handed the request to Fastify, so receiving it proves the request
 * is in the server's hands before we signal. We then hold the body back across the SIGTERM, like a
 * slow client mid-upload, and send it afterwards: the server must still run the handler against an
 * open database and answer 200 before it exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { carelineEnv, CLI, getJson, killAll, makeTempDir, removeTempDirs, runCli, spawnTracked, startCareline, waitFor, withTimeout } from './support/careline-process.js';

afterEach(killAll);
afterAll(removeTempDirs);

interface Answer {
  readonly status: number;
  readonly body: string;
}

function collect(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (s: string) => (body += s));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    res.on('error', reject);
  });
}

/** A fresh connection (no keep-alive pool) to see what a new client gets during shutdown. */
function probe(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(new URL('readyz', url), { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(`status ${res.statusCode ?? 0}`);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

describe('graceful shutdown of careline start', () => {
  // Both tests use one folder: the first creates it, the second starts faster on it.
  const dataDir = path.join(makeTempDir('graceful'), 'data');

  it('on SIGTERM while the embedded database is being created, finishes start-up, then stops cleanly', { timeout: 90_000 }, async () => {
    const start = spawnTracked(process.execPath, [CLI, 'start'], { env: carelineEnv(dataDir) });
    await waitFor(
      () => {
        if (start.stdout().includes('Creating the embedded database')) return true;
        if (start.hasExited()) throw new Error(`careline start exited early: ${start.stderr()}`);
        return undefined;
      },
      30_000,
      'careline start to begin creating the database',
    );
    // One signal only: a second one is the operator's "kill it now".
    start.child.kill('SIGTERM');
    const exit = await withTimeout(start.exited, 60_000, 'careline start to stop after SIGTERM during start-up');
    expect(exit, start.stderr()).toEqual({ code: 0, signal: null });
    expect(start.stderr()).toContain('SIGTERM received; stopping as soon as start-up has finished');
    expect(start.stdout()).toContain('Careline is running');
    expect(existsSync(path.join(dataDir, 'careline.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
  });

  it('lets an in-flight request finish and closes WebSockets with 1001 on SIGTERM', { timeout: 60_000 }, async () => {
    // The WebSocket needs a signed-in user: one is added while the server is stopped (directly).
    const added = await runCli(['users', 'add', '--email', 'ws@example.test', '--password', 'a long shutdown passphrase', '--role', 'patient'], carelineEnv(dataDir), 60_000);
    expect(added.code, added.stderr).toBe(0);
    // The folder the previous test created (and stopped cleanly) must start and serve.
    const server = await startCareline(carelineEnv(dataDir));
    expect((await getJson(new URL('readyz', server.url).href)).status).toBe(200);
    const { adminToken } = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as { adminToken: string };

    // A held-open realtime connection.
    const login = await fetch(new URL('auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ws@example.test', password: 'a long shutdown passphrase' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const ws = new WebSocket(new URL('ws', server.url.replace(/^http/, 'ws')), { headers: { authorization: `Bearer ${accessToken}` } });
    ws.on('error', () => undefined); // any failure also ends in 'close', which is what we assert on
    const wsClosed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    await withTimeout(new Promise<void>((resolve) => ws.once('open', resolve)), 10_000, 'the WebSocket to open');

    // A request whose headers the server has taken, body still to come.
    const body = '{}';
    const req = request(new URL('admin/local/migrate', server.url), {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        collect(res).then(resolve, reject);
      });
      req.on('error', reject);
    });
    // Awaited below; until then a failure must not surface as an unhandled rejection.
    void answer.catch(() => undefined);
    req.flushHeaders();
    await withTimeout(new Promise<void>((resolve) => req.once('continue', resolve)), 10_000, '100 Continue from the server');

    const stopped = server.stop('SIGTERM', 20_000);
    void stopped.catch(() => undefined); // awaited at the end; an earlier failure must not leave it unhandled

    const closed = await withTimeout(wsClosed, 10_000, 'the WebSocket to be closed by the server');
    expect(closed.code).toBe(1001);
    // Shutdown has begun: a new client is turned away (refused, or 503 if it slipped in before the listener closed).
    expect(['ECONNREFUSED', 'ECONNRESET', 'status 503']).toContain(await probe(server.url));

    // Hold the body a while: the server must wait for us, not exit or cut the connection.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.process.hasExited()).toBe(false);
    expect(existsSync(path.join(dataDir, 'careline.lock'))).toBe(true);

    req.end(body);
    const res = await withTimeout(answer, 10_000, 'the in-flight request to be answered');
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ applied: [], current: expect.any(Number) as number });

    const exit = await stopped;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(dataDir, 'careline.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
  });
});
