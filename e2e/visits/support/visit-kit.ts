/**
 * What the visit journeys need around the browser: a Careline server on a throwaway PostgreSQL
 * cluster (inside the namespace the host's is out of reach), sign-in through the API (staff enrol
 * TOTP on first sign-in), JSON calls, and a probe installed in pages before their scripts run that
 * records every RTCPeerConnection and every WebSocket message the page receives.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { freshTotp } from '../../support/totp.js';
import { startWebServer } from '../../support/web-server.js';
import type { RunningTurn } from '../../support/coturn.js';
import { freePort } from '../../support/pg-cluster.js';

export interface Session {
  readonly email: string;
  readonly bearer: string;
  /** The session cookie, for a browser context. */
  readonly cookie: { readonly name: string; readonly value: string };
  readonly fhirUser: string | null;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what} → ${status}: ${body.slice(0, 600)}`);
  }
}

export async function call<T>(origin: string, method: string, path: string, options: { bearer?: string; body?: unknown; expect?: number } = {}): Promise<T> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status !== (options.expect ?? res.status) || res.status >= 400) throw new ApiError(res.status, text, `${method} ${path}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function login(origin: string, email: string, password: string, otp?: string): Promise<Response> {
  return fetch(`${origin}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(otp ? { otp } : {}) }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** Signs in through the API; a staff account enrols TOTP first (setup → confirm → sign in with a code). */
export async function signIn(origin: string, email: string, password: string, usedSteps = new Set<number>()): Promise<Session> {
  let res = await login(origin, email, password);
  if (res.status === 401) {
    const enrolment = res.headers.get('careline-enrolment-token');
    const body = await res.text();
    if (!enrolment) throw new ApiError(401, body, `sign-in of ${email}`);
    const { secret } = await call<{ secret: string }>(origin, 'POST', '/auth/mfa/totp/setup', { bearer: enrolment, body: {} });
    await call(origin, 'POST', '/auth/mfa/totp/confirm', { bearer: enrolment, body: { otp: await freshTotp(secret, usedSteps) } });
    res = await login(origin, email, password, await freshTotp(secret, usedSteps));
  }
  const text = await res.text();
  if (res.status !== 200) throw new ApiError(res.status, text, `sign-in of ${email}`);
  const cookie = /^([^=]+)=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
  if (!cookie?.[1] || cookie[2] === undefined) throw new Error(`sign-in of ${email}: no session cookie`);
  const { accessToken } = JSON.parse(text) as { accessToken: string };
  const me = await call<{ fhirUser: string | null }>(origin, 'GET', '/auth/me', { bearer: accessToken });
  return { email, bearer: accessToken, cookie: { name: cookie[1], value: cookie[2] }, fhirUser: me.fhirUser };
}

export async function signedInContext(context: BrowserContext, origin: string, session: Session): Promise<void> {
  await context.addCookies([{ ...session.cookie, url: origin }]);
}

/**
 * A Careline server for the visit journeys: the given PostgreSQL, jobs on, mail to the sink, TURN
 * from coturn. A fixed free port with a matching public URL, so the links in mails are the real ones
 * (with CARELINE_PORT=0 the server cannot know its port when it writes a mail).
 */
export async function startVisitServer(o: { databaseUrl: string; smtpUrl: string; turn?: RunningTurn; extra?: Record<string, string> }) {
  const port = await freePort();
  return startWebServer({
    CARELINE_PORT: String(port),
    CARELINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: o.databaseUrl,
    // The throwaway cluster runs with fsync off (e2e/support/pg-cluster.ts): nothing to lose on a crash.
    CARELINE_ACCEPT_UNSAFE_DURABILITY: 'true',
    CARELINE_JOBS: 'true',
    CARELINE_SMTP_URL: o.smtpUrl,
    // Sign-in and joins come from one address in quick succession.
    CARELINE_RATE_LIMIT_MAX: '0',
    ...(o.turn ? { CARELINE_TURN_URLS: o.turn.urls.join(','), CARELINE_TURN_SECRET: o.turn.secret } : {}),
    ...o.extra,
  });
}

/** The probe: installed with context.addInitScript, so it wraps the constructors before the app's code runs. */
export const PAGE_PROBE = String.raw`
(() => {
  const probe = { peerConnections: [], messages: [], sockets: 0 };
  Object.defineProperty(window, '__visitProbe', { value: probe });
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) { super(...args); probe.peerConnections.push({ pc: this, at: Date.now(), config: args[0] || null }); }
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      probe.sockets += 1;
      this.addEventListener('message', (e) => probe.messages.push({ at: Date.now(), url: String(args[0]), data: typeof e.data === 'string' ? e.data : '[binary]' }));
    }
  };
})();
`;

export interface ProbeReport {
  readonly peerConnections: number;
  /** Peer connections that got as far as a remote description (a peer on the other end). */
  readonly withRemote: number;
  readonly sockets: number;
  readonly messageTypes: readonly string[];
  readonly raw: readonly string[];
}

export async function probeReport(page: Page): Promise<ProbeReport> {
  return page.evaluate<ProbeReport>(`(() => {
    const p = window.__visitProbe;
    const types = p.messages.map((m) => { try { return JSON.parse(m.data).type ?? '?'; } catch { return '?'; } });
    return { peerConnections: p.peerConnections.length, withRemote: p.peerConnections.filter((x) => x.pc.remoteDescription).length, sockets: p.sockets, messageTypes: types, raw: p.messages.map((m) => m.data) };
  })()`);
}

/** Total inbound video frames decoded over the page's peer connections (via the probe). */
export async function framesDecoded(page: Page): Promise<number> {
  return page.evaluate<number>(`(async () => {
    let frames = 0;
    for (const { pc } of window.__visitProbe.peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
    }
    return frames;
  })()`);
}

export async function waitForFrames(page: Page, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await framesDecoded(page);
    if (n > 0) return n;
    if (Date.now() > deadline) throw new Error(`no video frame decoded within ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}
