import { CarelineError } from '../../platform/errors/careline-error.js';
import type { IdentityContext } from '../identity-context.js';
import { STAFF_ROLES } from '../principal.js';
import { createEnrolmentSession, createUserSession, type IssuedSession } from './create-session.js';
import type { TLoginBody } from './login.types.js';
import { proveSecondFactor } from './second-factor.js';

/** OWASP ASVS V2.2.1: at most 100 failed attempts per account per hour. */
export const MAX_FAILURES_PER_HOUR = 100;
const HOUR_MS = 3_600_000;

export const ENROLMENT_TOKEN_HEADER = 'careline-enrolment-token';

export interface LoginMeta {
  readonly sourceIp: string;
  readonly requestId: string;
}

/**
 * Email + password (+ TOTP for every staff account, and for patients who enabled it).
 * Unknown email, wrong password and disabled account fail alike, in message and in time: an
 * unknown email still costs one argon2 verification (OWASP ASVS V2.2, V3.2).
 */
export async function login(ctx: IdentityContext, body: TLoginBody, meta: LoginMeta): Promise<IssuedSession> {
  const audit = (outcome: 'success' | 'failure', actor: string | null, detail?: string): Promise<void> =>
    ctx.audit.security({ type: 'login', outcome, actor, ...(actor ? { target: actor } : {}), ...(detail ? { detail } : {}), ...meta });
  const now = ctx.now();
  const account = await ctx.accounts.byEmail(body.email);
  if (!account) {
    await ctx.hasher.verifyDummy(body.password);
    await audit('failure', null, 'bad-credentials');
    throw new CarelineError('login-failed');
  }
  const ref = `User/${account.id}`;

  const failures = await ctx.accounts.loginFailuresSince(account.id, new Date(now.getTime() - HOUR_MS));
  if (failures.count >= MAX_FAILURES_PER_HOUR) {
    const reopensAt = (failures.oldest?.getTime() ?? now.getTime()) + HOUR_MS;
    const seconds = Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000));
    await audit('failure', ref, 'locked');
    throw new CarelineError('too-many-failed-logins', [], { 'retry-after': String(seconds) });
  }
  const fail = async (code: 'login-failed' | 'mfa-failed', detail: string): Promise<never> => {
    await ctx.accounts.recordLoginFailure(account.id, now);
    await audit('failure', ref, detail);
    throw new CarelineError(code);
  };

  const passwordOk = account.password_hash !== null && (await ctx.hasher.verify(account.password_hash, body.password));
  if (!passwordOk) return fail('login-failed', 'bad-credentials');
  if (account.status !== 'active') {
    await audit('failure', ref, 'disabled');
    throw new CarelineError('login-failed');
  }

  const staff = account.memberships.some((m) => STAFF_ROLES.includes(m.role));
  if (account.totp_enabled_at === null && staff) {
    const token = await createEnrolmentSession(ctx, account.id);
    await audit('failure', ref, 'mfa-enrolment-required');
    throw new CarelineError('mfa-enrolment-required', [], { [ENROLMENT_TOKEN_HEADER]: token });
  }
  if (account.totp_enabled_at !== null) {
    if (body.otp === undefined || body.otp === '') {
      await audit('failure', ref, 'mfa-required');
      throw new CarelineError('mfa-required');
    }
    if (!(await proveSecondFactor(ctx, account, body.otp))) return fail('mfa-failed', 'mfa-failed');
  }
  await ctx.accounts.clearLoginFailuresBefore(account.id, new Date(now.getTime() - HOUR_MS));
  const session = await createUserSession(ctx, account.id);
  await audit('success', ref);
  return session;
}
