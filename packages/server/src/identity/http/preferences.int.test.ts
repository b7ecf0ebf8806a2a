import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../test-support/identity-kit.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('PUT /auth/me/preferences', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('remembers the language per user, across sessions; refuses others, anonymous callers and cookie writes without CSRF', async () => {
    const user = await addUser(t.app, 'patient');
    const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } });
    const token = login.json<{ accessToken: string }>().accessToken;
    const me = async (bearer: string): Promise<{ locale: string | null }> => (await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${bearer}` } })).json();
    expect((await me(token)).locale).toBeNull();
    const put = (locale: unknown, headers: Record<string, string>) => t.app.inject({ method: 'PUT', url: '/auth/me/preferences', headers, payload: { locale } });
    expect((await put('es', { authorization: `Bearer ${token}` })).statusCode).toBe(204);
    expect((await put('fr', { authorization: `Bearer ${token}` })).statusCode).toBe(400);
    expect((await put('es', {})).statusCode).toBe(401);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    expect((await put('en', { cookie })).statusCode).toBe(403);

    const again = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } });
    expect((await me(again.json<{ accessToken: string }>().accessToken)).locale).toBe('es');
  });
});
