import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../platform/http/error-handler.js';
import { webAppRoutes } from './routes.js';

const INDEX = '<!doctype html><html><head><meta name="careline-session-idle-seconds" content="1800" /></head><body>Careline app</body></html>';
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'careline-web-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), INDEX);
  writeFileSync(path.join(root, 'assets', 'main-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  writeFileSync(path.join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(path.join(root, 'manifest.webmanifest'), '{"name":"Careline"}');
  // 'api' must be ignored even if a broken build lists it: the app never shadows the API.
  writeFileSync(path.join(root, 'spa-sections.json'), JSON.stringify(['portal', 'admin', 'api', '../x']));
  app = Fastify();
  installErrorHandling(app);
  await app.register(webAppRoutes, { root, idleTimeoutSeconds: 600 });
  app.get('/api/thing', async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('web app serving', () => {
  it('serves index.html at / with no-cache and the server idle timeout written in', async () => {
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).toContain('content="600"');
  });

  it('caches hashed assets for a year and gzips them when asked', async () => {
    const r = await app.inject({ url: '/assets/main-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['content-type']).toContain('text/javascript');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.rawPayload).toString()).toContain('console.log');
    const again = await app.inject({ url: '/assets/main-abc123.js', headers: { 'if-none-match': String(r.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('never lets the service worker be cached', async () => {
    const r = await app.inject({ url: '/sw.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect((await app.inject({ url: '/manifest.webmanifest' })).headers['content-type']).toContain('application/manifest+json');
  });

  it('answers client routes under the app sections with index.html', async () => {
    for (const url of ['/portal', '/portal/visits/12', '/admin?tab=users']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('Careline app');
    }
  });

  it('never shadows server paths', async () => {
    expect((await app.inject({ url: '/api/thing' })).json()).toEqual({ ok: true });
    for (const url of ['/api/nothing', '/admin/local/doctor', '/fhir/R4/x', '/nothing-here', '/assets/missing.js']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toContain('application/fhir+json');
    }
  });
});

describe('web app not built', () => {
  it('answers / with a page that says how to build it', async () => {
    const bare = Fastify();
    await bare.register(webAppRoutes, { root: path.join(os.tmpdir(), 'careline-no-such-dist') });
    const r = await bare.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('npm run build');
    await bare.close();
  });
});
