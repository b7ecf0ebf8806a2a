import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityContext } from '../identity-context.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { addUser } from '../../test-support/identity-kit.js';
import { createUserSession } from '../use-cases/create-session.js';
import { purgeIdentityRows } from './purge-identity-rows.js';

describe('identity purge job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('drops sessions ended over a day ago, old login failures and stale links, and keeps the rest', async () => {
    const base = new Date('2026-11-20T12:00:00Z');
    let now = base;
    const ctx = createIdentityContext(t.app.platform, t.app.fhir, t.app.platform.audit, createMailer(t.app.platform.config, t.app.platform.log), () => now);
    const user = await addUser(t.app, 'patient');
    const ended = await createUserSession(ctx, user.id);
    await ctx.sessions.revoke(ended.sessionId);
    const live = await createUserSession(ctx, user.id);
    await ctx.accounts.recordLoginFailure(user.id, new Date(base.getTime() - 2 * 3_600_000));
    await ctx.accounts.recordLoginFailure(user.id, base);
    await ctx.mailTokens.insert({ tokenHash: 'stale', purpose: 'password-reset', accountId: user.id, email: user.email, expiresAt: new Date(base.getTime() - 3_600_000) });

    const count = async (table: string): Promise<number> => (await t.tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;
    const sessionsBefore = await count('auth_session');

    // Half an hour later: the revoked session and the stale link are kept a day; one failure is out of the window.
    now = new Date(base.getTime() + 30 * 60_000);
    expect(await purgeIdentityRows(ctx)).toEqual({ sessions: 0, loginFailures: 1, mailTokens: 0 });

    // Two days later: the revoked session, the stale link and the other session (its 12 h absolute
    // timeout ended more than a day before) go.
    now = new Date(base.getTime() + 2 * 86_400_000);
    const removed = await purgeIdentityRows(ctx);
    expect(removed.mailTokens).toBe(1);
    expect(removed.loginFailures).toBe(1);
    expect(await count('auth_session')).toBe(sessionsBefore - removed.sessions);
    const { rows } = await t.tdb.db.query<{ id: string }>('SELECT id FROM auth_session WHERE id = $1', [live.sessionId]);
    expect(rows).toHaveLength(0);
    expect(removed.sessions).toBeGreaterThanOrEqual(2);
  });
});
