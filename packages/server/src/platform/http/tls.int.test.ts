import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type CarelineApp } from '../../app.js';
import { createTestDatabase, testBackend, testConfig, type TestDatabase } from '../../test-support/test-database.js';

const HSTS = 'max-age=31536000; includeSubDomains';
const REQUEST_TIMEOUT_MS = 5_000;

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** SHA-256 fingerprint of the certificate the server presented (TLS only). */
  readonly peerFingerprint?: string;
}

/** One GET over a real socket, failing after REQUEST_TIMEOUT_MS instead of hanging. */
function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const socket = res.socket;
      const peerFingerprint = socket instanceof TLSSocket ? socket.getPeerCertificate().fingerprint256 : undefined;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ...(peerFingerprint ? { peerFingerprint } : {}) }),
      );
      res.on('error', reject);
    };
    // A self-signed certificate: nothing to verify it against, so the test checks its fingerprint instead.
    const req = url.startsWith('https:')
      ? https.get(url, { headers, rejectUnauthorized: false, agent: false }, onResponse)
      : http.get(url, { headers, agent: false }, onResponse);
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`GET ${url} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI; throws (never skips) when openssl is missing. */
function makeCertificate(dir: string): { certFile: string; keyFile: string } {
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 });
  if (version.error || version.status !== 0) {
    throw new Error(
      'The TLS test needs the `openssl` command to make a self-signed certificate, and it could not be run ' +
        `(${version.error?.message ?? `exit status ${String(version.status)}`}). Install OpenSSL (e.g. apt-get install openssl) and put it on PATH.`,
    );
  }
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (made.error || made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.error?.message ?? made.stderr}`);
  return { certFile, keyFile };
}

async function listen(app: CarelineApp): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

describe(`TLS and HSTS over real sockets on ${testBackend()}`, () => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'careline-tls-'));
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('served directly with a certificate', () => {
    let app: CarelineApp;
    let port: number;
    let fingerprint: string;
    beforeAll(async () => {
      const { certFile, keyFile } = makeCertificate(dir);
      fingerprint = new X509Certificate(readFileSync(certFile)).fingerprint256;
      app = await buildApp(testConfig({ CARELINE_TLS_CERT_FILE: certFile, CARELINE_TLS_KEY_FILE: keyFile }), { db: tdb.db });
      port = await listen(app);
    });
    afterAll(async () => app.close());

    it('answers /healthz over https with our certificate and Strict-Transport-Security', async () => {
      const r = await get(`https://127.0.0.1:${port}/healthz`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ status: 'ok' });
      expect(r.peerFingerprint).toBe(fingerprint);
      expect(r.headers['strict-transport-security']).toBe(HSTS);
    });

    it('sends HSTS on error responses too', async () => {
      const r = await get(`https://127.0.0.1:${port}/nothing-here`);
      expect(r.status).toBe(404);
      expect(r.headers['strict-transport-security']).toBe(HSTS);
    });

    it('does not speak plain HTTP on the TLS port', async () => {
      await expect(get(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    });
  });

  describe('plain HTTP behind a trusted proxy (CARELINE_TRUST_PROXY=true)', () => {
    let app: CarelineApp;
    let port: number;
    beforeAll(async () => {
      app = await buildApp(testConfig({ CARELINE_TRUST_PROXY: 'true' }), { db: tdb.db });
      port = await listen(app);
    });
    afterAll(async () => app.close());

    it('sends HSTS when the proxy says the client used https', async () => {
      const r = await get(`http://127.0.0.1:${port}/healthz`, { 'x-forwarded-proto': 'https' });
      expect(r.status).toBe(200);
      expect(r.headers['strict-transport-security']).toBe(HSTS);
    });

    it('sends no HSTS without X-Forwarded-Proto, or when it says http', async () => {
      const bare = await get(`http://127.0.0.1:${port}/healthz`);
      expect(bare.status).toBe(200);
      expect(bare.headers['strict-transport-security']).toBeUndefined();
      const http1 = await get(`http://127.0.0.1:${port}/healthz`, { 'x-forwarded-proto': 'http' });
      expect(http1.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('plain HTTP with no trusted proxy', () => {
    let app: CarelineApp;
    let port: number;
    beforeAll(async () => {
      app = await buildApp(testConfig(), { db: tdb.db });
      port = await listen(app);
    });
    afterAll(async () => app.close());

    it('ignores a client’s own X-Forwarded-Proto: https', async () => {
      const r = await get(`http://127.0.0.1:${port}/healthz`, { 'x-forwarded-proto': 'https' });
      expect(r.status).toBe(200);
      expect(r.headers['strict-transport-security']).toBeUndefined();
    });
  });
});
