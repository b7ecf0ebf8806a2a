import { CarelineError } from '../../platform/errors/careline-error.js';
import { hashToken, newRecoveryCode, normaliseRecoveryCode } from '../credentials/tokens.js';
import { newTotpSecret, totpUri, verifyTotp } from '../credentials/totp.js';
import type { IdentityContext } from '../identity-context.js';
import { STAFF_ROLES } from '../principal.js';
import type { LoginMeta } from './login.js';
import { proveSecondFactor } from './second-factor.js';

const RECOVERY_CODES = 10;

async function accountOrThrow(ctx: IdentityContext, accountId: string): Promise<NonNullable<Awaited<ReturnType<IdentityContext['accounts']['byId']>>>> {
  const a = await ctx.accounts.byId(accountId);
  if (!a || a.status !== 'active') throw new CarelineError('unauthorized');
  return a;
}

/** Starts enrolment: a new secret kept pending until a code from it is confirmed. */
export async function setupTotp(ctx: IdentityContext, accountId: string): Promise<{ secret: string; otpauthUri: string }> {
  const a = await accountOrThrow(ctx, accountId);
  if (a.totp_enabled_at !== null) throw new CarelineError('conflict', [{ diagnostics: 'An authenticator app is already set up for this account.' }]);
  const secret = newTotpSecret();
  await ctx.accounts.setPendingTotp(a.id, secret);
  return { secret, otpauthUri: totpUri(secret, a.email) };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
export async function confirmTotp(ctx: IdentityContext, accountId: string, otp: string, meta: LoginMeta): Promise<string[]> {
  const a = await accountOrThrow(ctx, accountId);
  if (a.totp_enabled_at !== null || !a.totp_pending_secret) {
    throw new CarelineError('conflict', [{ diagnostics: 'There is no authenticator set-up waiting for confirmation.' }]);
  }
  const step = await verifyTotp(a.totp_pending_secret, otp, null, Math.floor(ctx.now().getTime() / 1000));
  if (step === undefined) throw new CarelineError('mfa-failed');
  const codes = Array.from({ length: RECOVERY_CODES }, () => newRecoveryCode());
  await ctx.platform.db.transaction(async (tx) => {
    if (!(await ctx.accounts.with(tx).enableTotp(a.id, step))) throw new CarelineError('conflict');
    await ctx.accounts.with(tx).replaceRecoveryCodes(a.id, codes.map((c) => hashToken(normaliseRecoveryCode(c) ?? c)));
    await ctx.audit.security({ type: 'mfa-change', outcome: 'success', actor: `User/${a.id}`, detail: 'totp-enabled', ...meta }, tx);
  });
  return codes;
}

/** Patients (and caregivers) may turn TOTP off with their password and a current code; staff may not. */
export async function disableTotp(ctx: IdentityContext, accountId: string, body: { password: string; otp: string }, meta: LoginMeta): Promise<void> {
  const a = await accountOrThrow(ctx, accountId);
  if (a.memberships.some((m) => STAFF_ROLES.includes(m.role))) {
    throw new CarelineError('forbidden', [{ diagnostics: 'Staff accounts must keep their authenticator app.' }]);
  }
  if (a.totp_enabled_at === null) throw new CarelineError('conflict', [{ diagnostics: 'No authenticator app is set up.' }]);
  if (!a.password_hash || !(await ctx.hasher.verify(a.password_hash, body.password))) {
    await ctx.audit.security({ type: 'mfa-change', outcome: 'failure', actor: `User/${a.id}`, detail: 'bad-credentials', ...meta });
    throw new CarelineError('login-failed');
  }
  if (!(await proveSecondFactor(ctx, a, body.otp))) {
    await ctx.audit.security({ type: 'mfa-change', outcome: 'failure', actor: `User/${a.id}`, detail: 'mfa-failed', ...meta });
    throw new CarelineError('mfa-failed');
  }
  await ctx.platform.db.transaction(async (tx) => {
    await ctx.accounts.with(tx).disableTotp(a.id);
    await ctx.audit.security({ type: 'mfa-change', outcome: 'success', actor: `User/${a.id}`, detail: 'totp-disabled', ...meta }, tx);
  });
}
