/**
 * Session expiry (idle and absolute), per-account lockout and per-address limits, through HTTP.
 * Short timeouts come from configuration, as an operator would set them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, type TestUser } from '../../test-support/identity-kit.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const code = (body: string): string | undefined =>
  (JSON.parse(body) as { issue: { details?: { coding?: { code?: string }[] } }[] }).issue[0]?.details?.coding?.[0]?.code;

describe('session timeouts', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ CARELINE_SESSION_IDLE_TIMEOUT_S: '2', CARELINE_SESSION_ABSOLUTE_TIMEOUT_S: '3' });
    user = await addUser(t.app, 'patient');
  });
  afterAll(async () => t.close());

  const login = async (): Promise<string> =>
    (await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } })).json<{ accessToken: string }>().accessToken;
  const me = (token: string): Promise<number> => t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode);

  it('ends an idle session', async () => {
    const token = await login();
    expect(await me(token)).toBe(200);
    await sleep(2300);
    expect(await me(token)).toBe(401);
  });

  it('ends a busy session at the absolute timeout', async () => {
    // Timed against the login itself, so a slow (loaded) machine cannot push a check past the limit.
    const started = Date.now();
    const token = await login();
    let answeredInTime = 0;
    // Busy past the 2 s idle timeout: a request every 500 ms until 2.6 s after login.
    while (Date.now() - started < 2600) {
      await sleep(500);
      const status = await me(token);
      if (Date.now() - started < 2900) {
        expect(status).toBe(200);
        answeredInTime++;
      }
    }
    expect(answeredInTime).toBeGreaterThanOrEqual(3);
    await sleep(Math.max(0, started + 3300 - Date.now()));
    expect(await me(token)).toBe(401);
  });
});

describe('throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CARELINE_RATE_LIMIT_MAX: '100000', CARELINE_AUTH_RATE_LIMIT_MAX: '1000' });
  });
  afterAll(async () => t.close());

  it('locks an account after 100 failures in an hour, even for the right password', async () => {
    const user = await addUser(t.app, 'patient');
    for (let i = 0; i < 100; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: `wrong-${i}-password` } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } });
    expect(locked.statusCode).toBe(429);
    expect(code(locked.body)).toBe('too-many-failed-logins');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(3000);
  });
});

describe('per-address limit on /auth routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CARELINE_RATE_LIMIT_MAX: '100000', CARELINE_AUTH_RATE_LIMIT_MAX: '5' });
  });
  afterAll(async () => t.close());

  it('answers 429 with Retry-After past the limit', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@example.test', password: 'whatever-password' }, remoteAddress: '10.1.2.3' });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(last?.statusCode).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(code(last?.body ?? '{}')).toBe('rate-limited');
    const other = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@example.test', password: 'whatever-password' }, remoteAddress: '10.9.9.9' });
    expect(other.statusCode).toBe(401);
  });
});
