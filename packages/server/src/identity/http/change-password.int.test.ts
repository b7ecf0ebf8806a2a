import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../test-support/identity-kit.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('POST /auth/password/change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const login = async (email: string, password: string): Promise<{ status: number; token: string }> => {
    const r = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
    return { status: r.statusCode, token: r.statusCode === 200 ? r.json<{ accessToken: string }>().accessToken : '' };
  };
  const change = (token: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/auth/password/change', headers: { authorization: `Bearer ${token}` }, payload: body });
  const me = async (token: string): Promise<number> => (await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode;

  it('needs the current password, applies the rules, keeps this session and ends the others', async () => {
    const user = await addUser(t.app, 'patient');
    const here = await login(user.email, user.password);
    const elsewhere = await login(user.email, user.password);

    const wrong = await change(here.token, { currentPassword: 'not my password', newPassword: 'a brand new passphrase' });
    expect(wrong.statusCode).toBe(401);
    const weak = await change(here.token, { currentPassword: user.password, newPassword: 'password1' });
    expect(weak.statusCode).toBe(422);
    expect(await me(elsewhere.token)).toBe(200);

    const ok = await change(here.token, { currentPassword: user.password, newPassword: 'a brand new passphrase' });
    expect(ok.statusCode, ok.body).toBe(204);
    expect(await me(here.token)).toBe(200);
    expect(await me(elsewhere.token)).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, 'a brand new passphrase')).status).toBe(200);

    const audited = await t.tdb.db.query<{ outcome: number }>("SELECT outcome FROM audit_event WHERE kind = 'password-change' AND agent = $1 ORDER BY seq", [`User/${user.id}`]);
    expect(audited.rows.map((r) => r.outcome)).toEqual([4, 0]);
  });

  it('refuses anonymous callers and unknown fields', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/auth/password/change', payload: { currentPassword: 'x', newPassword: 'y' } })).statusCode).toBe(401);
    const user = await addUser(t.app, 'patient');
    const s = await login(user.email, user.password);
    expect((await change(s.token, { currentPassword: user.password, newPassword: 'another long phrase', extra: 1 })).statusCode).toBe(400);
  });
});
