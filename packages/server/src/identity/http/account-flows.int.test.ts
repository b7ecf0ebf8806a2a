/**
 * Mail-driven flows with a real SMTP server, admin user management with WebSocket closing, first-run
 * setup and client credentials — through HTTP.
 */
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, enrolTotp, identityOf, totpCode, type TestUser } from '../../test-support/identity-kit.js';
import { startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createClient } from '../use-cases/system-clients.js';

let t: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ CARELINE_SMTP_URL: smtp.url, CARELINE_PUBLIC_URL: 'https://care.example.test', CARELINE_PORT: '0' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const code = (body: string): string | undefined =>
  (JSON.parse(body) as { issue: { details?: { coding?: { code?: string }[] } }[] }).issue[0]?.details?.coding?.[0]?.code;

function tokenIn(raw: string, path: string): string {
  const m = new RegExp(`https://care\\.example\\.test/${path}#token=(cl_[A-Za-z0-9_-]{43})`).exec(raw);
  if (!m?.[1]) throw new Error(`no ${path} link in mail`);
  return m[1];
}

async function loginStaff(user: TestUser): Promise<{ accessToken: string }> {
  const first = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } });
  if (code(first.body) === 'mfa-enrolment-required') await enrolTotp(t.app, user, String(first.headers['careline-enrolment-token']));
  const next = await totpCode(user.totpSecret ?? '', Math.floor(Date.now() / 1000) + 30);
  const r = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password, otp: next } });
  expect(r.statusCode).toBe(200);
  return r.json();
}

describe('password reset', () => {
  it('answers 202 for any email, mails a single-use link, and revokes sessions', async () => {
    const patient = await addUser(t.app, 'patient');
    const session = (await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: patient.email, password: patient.password } })).json<{ accessToken: string }>();
    const unknown = await t.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'nobody@example.test' } });
    const known = await t.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: patient.email } });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const mail = await smtp.waitFor(patient.email, (m) => m.raw.includes('reset-password'));
    const token = tokenIn(mail.raw, 'reset-password');
    const weak = await t.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'password123' } });
    expect(code(weak.body)).toBe('password-rejected');
    const ok = await t.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'a brand new passphrase' } });
    expect(ok.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'another new passphrase' } });
    expect(code(again.body)).toBe('link-invalid');
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${session.accessToken}` } })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: patient.email, password: 'a brand new passphrase' } });
    expect(login.statusCode).toBe(200);
  });
});

describe('invitations and admin user management', () => {
  let admin: TestUser;
  let adminToken: string;
  beforeAll(async () => {
    admin = await addUser(t.app, 'admin');
    adminToken = (await loginStaff(admin)).accessToken;
  });

  it('an admin invites a patient, who accepts through the mailed link', async () => {
    const auth = { authorization: `Bearer ${adminToken}` };
    const email = `invitee-${Date.now()}@example.test`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: auth,
      payload: { email, role: 'patient', organizationId: admin.organizationId, given: 'Ina', family: 'Vitee', birthDate: '1990-02-03' },
    });
    expect(created.statusCode).toBe(201);
    const token = tokenIn((await smtp.waitFor(email)).raw, 'invitation');
    const shown = await t.app.inject({ method: 'GET', url: `/auth/invitations/${token}` });
    expect(shown.json()).toMatchObject({ email, role: 'patient', organizationId: admin.organizationId, organizationName: 'Test Clinic' });
    const accepted = await t.app.inject({ method: 'POST', url: '/auth/invitations/accept', payload: { token, password: 'my own long passphrase' } });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json<{ fhirUser: string }>().fhirUser).toMatch(/^Patient\//);
    const reuse = await t.app.inject({ method: 'POST', url: '/auth/invitations/accept', payload: { token, password: 'my own long passphrase' } });
    expect(code(reuse.body)).toBe('link-invalid');
    const me = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'my own long passphrase' } });
    expect(me.statusCode).toBe(200);
  });

  it('a non-admin cannot invite, and an admin of another clinic sees nothing', async () => {
    const nurse = await addUser(t.app, 'nurse', { organizationId: admin.organizationId });
    const nurseToken = (await loginStaff(nurse)).accessToken;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: { authorization: `Bearer ${nurseToken}` },
      payload: { email: 'x@example.test', role: 'patient', organizationId: admin.organizationId },
    });
    expect(r.statusCode).toBe(404);
    const other = await addUser(t.app, 'admin');
    const otherToken = (await loginStaff(other)).accessToken;
    const list = await t.app.inject({ method: 'GET', url: `/api/admin/organizations/${admin.organizationId}/users`, headers: { authorization: `Bearer ${otherToken}` } });
    expect(list.statusCode).toBe(404);
  });

  it('disabling a user ends their sessions and closes their WebSocket', async () => {
    const patient = await addUser(t.app, 'patient', { organizationId: admin.organizationId });
    const s = (await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: patient.email, password: patient.password } })).json<{ accessToken: string }>();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const anonymous = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    const refused = await new Promise<string>((resolve) => anonymous.once('unexpected-response', (_req, res) => resolve(String(res.statusCode))).once('error', (e) => resolve(e.message)));
    expect(refused).toContain('401');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['careline.bearer', `careline.bearer.${s.accessToken}`]);
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    const list = await t.app.inject({ method: 'GET', url: `/api/admin/organizations/${admin.organizationId}/users`, headers: { authorization: `Bearer ${adminToken}` } });
    expect(list.json<{ users: { id: string }[] }>().users.map((u) => u.id)).toContain(patient.id);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/admin/organizations/${admin.organizationId}/users/${patient.id}/disable`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(r.statusCode).toBe(204);
    expect(await closed).toBe(4401);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${s.accessToken}` } })).statusCode).toBe(401);
    const relogin = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: patient.email, password: patient.password } });
    expect(code(relogin.body)).toBe('login-failed');
  });
});

describe('first-run setup', () => {
  it('is refused once any account exists', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { clinicName: 'X', email: 'first@example.test', password: 'a long enough passphrase', given: 'A', family: 'B' },
    });
    expect(r.statusCode).toBe(409);
  });
});

describe('POST /oauth2/token (client credentials)', () => {
  it('issues a bearer token for a valid client, by form or Basic, and refuses a bad secret', async () => {
    const { clientId, clientSecret } = await createClient(identityOf(t.app), ['system/*.read'], null, 'system:test');
    const form = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`,
    });
    expect(form.statusCode).toBe(200);
    expect(form.json()).toMatchObject({ token_type: 'Bearer', scope: 'system/*.read', expires_in: 3600 });
    const basic = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      payload: { grant_type: 'client_credentials' },
    });
    expect(basic.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: '/oauth2/token', payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: 'cl_' + 'x'.repeat(43) } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: 'invalid_client' });
    const grant = await t.app.inject({ method: 'POST', url: '/oauth2/token', payload: { grant_type: 'password' } });
    expect(grant.json()).toEqual({ error: 'unsupported_grant_type' });
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${form.json<{ access_token: string }>().access_token}` } });
    expect(me.statusCode).toBe(401); // a client is no user
  });
});
