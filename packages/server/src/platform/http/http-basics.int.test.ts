import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOperationOutcome } from '@careline/contracts';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      { CARELINE_BODY_LIMIT_BYTES: '2048', CARELINE_RATE_LIMIT_MAX: '5', CARELINE_RATE_LIMIT_WINDOW_MS: '60000' },
      { extend: (app) => app.post('/test/echo', async (request) => ({ got: request.body })) },
    );
  });
  afterAll(async () => t.close());

  function expectOutcome(body: string, code: string): void {
    const oo = ZOperationOutcome.parse(JSON.parse(body));
    expect(oo.issue[0]?.details?.coding?.[0]?.code).toBe(code);
    expect(body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  }

  it('answers /healthz and /readyz', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok' });
    const r = await t.app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready', database: { ok: true, kind: t.app.platform.db.kind } });
  });

  it('sends security headers and a request id', async () => {
    const r = await t.app.inject({ url: '/healthz' });
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['strict-transport-security']).toBeUndefined(); // no TLS here
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed incoming request id and replaces a hostile one', async () => {
    const kept = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'proxy-abc-12345' } });
    expect(kept.headers['x-request-id']).toBe('proxy-abc-12345');
    const replaced = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'x\n{"evil":1}' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('closes CORS by default', async () => {
    const r = await t.app.inject({ method: 'OPTIONS', url: '/healthz', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('maps every error to an OperationOutcome: 404, 405, 400, 413, 415', async () => {
    const notFound = await t.app.inject({ url: '/nothing-here' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['content-type']).toContain('application/fhir+json');
    expectOutcome(notFound.body, 'not-found');

    const wrongMethod = await t.app.inject({ method: 'DELETE', url: '/healthz' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expectOutcome(wrongMethod.body, 'method-not-allowed');

    const malformed = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(malformed.statusCode).toBe(400);
    expectOutcome(malformed.body, 'invalid-json');

    const big = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(4096) }) });
    expect(big.statusCode).toBe(413);
    expectOutcome(big.body, 'payload-too-large');

    const media = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(media.statusCode).toBe(415);
    expectOutcome(media.body, 'unsupported-media-type');
  });

  it('rate-limits with 429 and Retry-After, but never the probes', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    for (let i = 0; i < 8; i++) {
      last = await t.app.inject({ url: '/api/openapi.json', remoteAddress: '10.9.9.9' });
      statuses.push(last.statusCode);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await t.app.inject({ url: '/api/openapi.json', remoteAddress: '10.9.9.9' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectOutcome(limited.body, 'rate-limited');
    for (let i = 0; i < 8; i++) expect((await t.app.inject({ url: '/healthz', remoteAddress: '10.9.9.9' })).statusCode).toBe(200);
  });

  it('serves an OpenAPI 3 document of the declared routes', async () => {
    const r = await t.app.inject({ url: '/api/openapi.json', remoteAddress: '10.1.1.1' });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    expect(Object.keys(doc.paths)).not.toContain('/admin/local/doctor');
  });

  it('serves /metrics to loopback only when no token is configured', async () => {
    await t.app.inject({ url: '/healthz' });
    const local = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect(local.body).toContain('careline_http_request_duration_seconds_bucket');
    expect(local.body).toContain('careline_db_pool_connections');
    expect(local.body).toContain('careline_websocket_connections');
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.5' });
    expect(remote.statusCode).toBe(404);
  });

  it('serves the web app entry page at /', async () => {
    const r = await t.app.inject({ url: '/', remoteAddress: '10.2.2.2' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('Careline');
  });

  it('hides the local admin routes from anyone without the token', async () => {
    const r = await t.app.inject({ url: '/admin/local/doctor', remoteAddress: '127.0.0.1' });
    expect(r.statusCode).toBe(404);
  });
});
