/**
 * Login, sessions and MFA through HTTP, as an attacker would send them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, enrolTotp, totpCode, type TestUser } from '../../test-support/identity-kit.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function login(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/auth/login', payload: body, headers });
}

function errorCode(body: string): string | undefined {
  const oo = JSON.parse(body) as { issue: { details?: { coding?: { code?: string }[] } }[] };
  return oo.issue[0]?.details?.coding?.[0]?.code;
}

describe('POST /auth/login (patient)', () => {
  let patient: TestUser;
  beforeAll(async () => {
    patient = await addUser(t.app, 'patient');
  });

  it('answers a bearer token, a session cookie and a CSRF token', async () => {
    const r = await login({ email: patient.email.toUpperCase(), password: patient.password });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ accessToken: string; tokenType: string; expiresIn: number; csrfToken: string }>();
    expect(body.tokenType).toBe('Bearer');
    expect(body.expiresIn).toBe(12 * 3600);
    expect(body.accessToken).toMatch(/^cl_/);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/careline_session=cl_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: patient.id, email: patient.email, roles: ['patient'], mfaEnabled: false });
    expect(me.json<{ fhirUser: string }>().fhirUser).toMatch(/^Patient\//);
  });

  it('fails alike for an unknown email and a wrong password', async () => {
    const unknown = await login({ email: 'nobody@example.test', password: 'whatever-password' });
    const wrong = await login({ email: patient.email, password: 'not-the-password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(unknown.body)).toBe('login-failed');
    expect(unknown.body).toBe(wrong.body);
  });

  it('logout revokes both the cookie and the bearer token', async () => {
    const r = await login({ email: patient.email, password: patient.password });
    const { accessToken, csrfToken } = r.json<{ accessToken: string; csrfToken: string }>();
    const cookie = String(r.headers['set-cookie']).split(';')[0] ?? '';
    const out = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${accessToken}` } })).statusCode).toBe(401);
  });

  it('requires the CSRF token (and a same-origin Origin) for cookie-authenticated writes', async () => {
    const r = await login({ email: patient.email, password: patient.password });
    const { csrfToken } = r.json<{ csrfToken: string }>();
    const cookie = String(r.headers['set-cookie']).split(';')[0] ?? '';
    const without = await t.app.inject({ method: 'POST', url: '/auth/mfa/totp/setup', headers: { cookie } });
    expect(without.statusCode).toBe(403);
    expect(errorCode(without.body)).toBe('csrf-failed');
    const foreign = await t.app.inject({ method: 'POST', url: '/auth/mfa/totp/setup', headers: { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(me.json<{ csrfToken: string }>().csrfToken).toBe(csrfToken);
    const ok = await t.app.inject({ method: 'POST', url: '/auth/mfa/totp/setup', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(ok.statusCode).toBe(200);
  });

  it('answers 401 to a made-up bearer token, on /fhir/R4 too, and to a malformed one where sign-in is needed', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/fhir/R4/Patient', headers: { authorization: `Bearer cl_${'A'.repeat(43)}` } });
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toContain('invalid_token');
    const garbage = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: 'Bearer garbage' } });
    expect(garbage.statusCode).toBe(401);
  });
});

describe('MFA for staff', () => {
  let nurse: TestUser;
  let recoveryCodes: string[];
  beforeAll(async () => {
    nurse = await addUser(t.app, 'nurse');
  });

  it('refuses a staff login before enrolment, with an enrolment-only token', async () => {
    const r = await login({ email: nurse.email, password: nurse.password });
    expect(r.statusCode).toBe(401);
    expect(errorCode(r.body)).toBe('mfa-enrolment-required');
    const token = String(r.headers['careline-enrolment-token']);
    // The enrolment token is no session: it opens nothing but enrolment.
    const fhir = await t.app.inject({ method: 'GET', url: '/fhir/R4/Practitioner', headers: { authorization: `Bearer ${token}` } });
    if (fhir.statusCode === 200) expect(fhir.json<{ entry?: unknown[] }>().entry ?? []).toHaveLength(0);
    else expect([401, 403, 404]).toContain(fhir.statusCode);
    const logout = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(logout.statusCode).toBe(204);
    recoveryCodes = await enrolTotp(t.app, nurse, token);
    expect(recoveryCodes).toHaveLength(10);
  });

  it('then requires the code, refuses a replayed one, and accepts a recovery code once', async () => {
    const secret = nurse.totpSecret ?? '';
    const missing = await login({ email: nurse.email, password: nurse.password });
    expect(errorCode(missing.body)).toBe('mfa-required');
    // The confirm step used the current time step already: its code cannot be replayed.
    const replayed = await login({ email: nurse.email, password: nurse.password, otp: await totpCode(secret) });
    expect(replayed.statusCode).toBe(401);
    expect(errorCode(replayed.body)).toBe('mfa-failed');
    const code = recoveryCodes[0] ?? '';
    const first = await login({ email: nurse.email, password: nurse.password, otp: code.toUpperCase() });
    expect(first.statusCode).toBe(200);
    const again = await login({ email: nurse.email, password: nurse.password, otp: code });
    expect(errorCode(again.body)).toBe('mfa-failed');
  });

  it('accepts the next time step once, then refuses the same code', async () => {
    const secret = nurse.totpSecret ?? '';
    const next = await totpCode(secret, Math.floor(Date.now() / 1000) + 30);
    const ok = await login({ email: nurse.email, password: nurse.password, otp: next });
    expect(ok.statusCode).toBe(200);
    const replay = await login({ email: nurse.email, password: nurse.password, otp: next });
    expect(errorCode(replay.body)).toBe('mfa-failed');
  });

  it('staff may not turn TOTP off', async () => {
    const code = recoveryCodes[1] ?? '';
    const s = (await login({ email: nurse.email, password: nurse.password, otp: code })).json<{ accessToken: string }>();
    const r = await t.app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/disable',
      headers: { authorization: `Bearer ${s.accessToken}` },
      payload: { password: nurse.password, otp: recoveryCodes[2] ?? '' },
    });
    expect(r.statusCode).toBe(403);
  });
});
