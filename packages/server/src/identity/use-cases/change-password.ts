import { CarelineError } from '../../platform/errors/careline-error.js';
import { announceRevoked } from '../http/session-events.js';
import type { IdentityContext } from '../identity-context.js';
import type { UserPrincipal } from '../principal.js';
import { assertPasswordAllowed } from './create-account.js';
import type { TChangePasswordBody } from './change-password.types.js';
import type { LoginMeta } from './login.js';

/**
 * Changes a signed-in user's password after proving the current one (ASVS V2.1.6), applies the
 * password rules, and ends every other session of the account (ASVS V3.3.3) — on every instance,
 * closing their WebSockets — while the session that asked stays signed in.
 */
export async function changePassword(ctx: IdentityContext, user: UserPrincipal, body: TChangePasswordBody, meta: LoginMeta): Promise<void> {
  const account = await ctx.accounts.byId(user.accountId);
  if (!account?.password_hash || !(await ctx.hasher.verify(account.password_hash, body.currentPassword))) {
    await ctx.audit.security({ type: 'password-change', outcome: 'failure', actor: `User/${user.accountId}`, detail: 'bad-credentials', ...meta });
    throw new CarelineError('login-failed', [{ diagnostics: 'The current password is not correct.', expression: ['currentPassword'] }]);
  }
  assertPasswordAllowed(body.newPassword, account.email);
  const hash = await ctx.hasher.hash(body.newPassword);
  const ended = await ctx.platform.db.transaction(async (tx) => {
    await ctx.accounts.with(tx).setPassword(user.accountId, hash);
    const revoked = await ctx.sessions.with(tx).revokeAccountExcept(user.accountId, user.sessionId);
    await ctx.audit.security({ type: 'password-change', outcome: 'success', actor: `User/${user.accountId}`, ...meta }, tx);
    return revoked;
  });
  if (ended.length > 0) await announceRevoked(ctx.platform.bus, { sessionIds: ended });
}
