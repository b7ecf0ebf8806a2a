import { CarelineError } from '../../platform/errors/careline-error.js';
import { announceRevoked } from '../http/session-events.js';
import type { IdentityContext } from '../identity-context.js';
import { hasRole, type Role, type UserPrincipal } from '../principal.js';
import type { AccountWithMemberships } from '../storage/account-repository.js';
import type { LoginMeta } from './login.js';

/** Only an admin of the organization acts on its users; anyone else learns nothing (404). */
export function assertAdminOf(principal: UserPrincipal, organizationId: string): void {
  if (!hasRole(principal, 'admin', organizationId)) throw new CarelineError('not-found');
}

async function memberOf(ctx: IdentityContext, organizationId: string, accountId: string): Promise<AccountWithMemberships> {
  const a = await ctx.accounts.byId(accountId);
  if (!a?.memberships.some((m) => m.organizationId === organizationId)) throw new CarelineError('not-found');
  return a;
}

export async function listUsers(ctx: IdentityContext, admin: UserPrincipal, organizationId: string): Promise<AccountWithMemberships[]> {
  assertAdminOf(admin, organizationId);
  return ctx.accounts.inOrganization(organizationId);
}

/**
 * Disabling ends every session at once and, through the bus, closes the user's WebSockets on every
 * instance (issue #4: within seconds).
 */
export async function setUserStatus(ctx: IdentityContext, admin: UserPrincipal, organizationId: string, accountId: string, status: 'active' | 'disabled', meta: LoginMeta): Promise<void> {
  assertAdminOf(admin, organizationId);
  await memberOf(ctx, organizationId, accountId);
  if (status === 'disabled' && accountId === admin.accountId) {
    throw new CarelineError('unprocessable', [{ diagnostics: 'You cannot disable your own account.' }]);
  }
  await ctx.platform.db.transaction(async (tx) => {
    await ctx.accounts.with(tx).setStatus(accountId, status);
    if (status === 'disabled') await ctx.sessions.with(tx).revokeAccount(accountId);
    await ctx.audit.security(
      { type: 'account-change', outcome: 'success', actor: `User/${admin.accountId}`, target: `User/${accountId}`, organizationId, detail: status, ...meta },
      tx,
    );
  });
  if (status === 'disabled') await announceRevoked(ctx.platform.bus, { accountId });
}

export async function setUserRoles(ctx: IdentityContext, admin: UserPrincipal, organizationId: string, accountId: string, roles: readonly Role[], meta: LoginMeta): Promise<AccountWithMemberships> {
  assertAdminOf(admin, organizationId);
  await memberOf(ctx, organizationId, accountId);
  if (accountId === admin.accountId && !roles.includes('admin')) {
    throw new CarelineError('unprocessable', [{ diagnostics: 'You cannot remove your own admin role.' }]);
  }
  await ctx.platform.db.transaction(async (tx) => {
    await ctx.accounts.with(tx).replaceRoles(accountId, organizationId, roles);
    await ctx.audit.security(
      { type: 'role-change', outcome: 'success', actor: `User/${admin.accountId}`, target: `User/${accountId}`, organizationId, detail: [...roles].sort().join(','), ...meta },
      tx,
    );
  });
  return memberOf(ctx, organizationId, accountId);
}
