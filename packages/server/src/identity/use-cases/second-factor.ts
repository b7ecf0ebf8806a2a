import { hashToken, normaliseRecoveryCode } from '../credentials/tokens.js';
import { verifyTotp } from '../credentials/totp.js';
import type { IdentityContext } from '../identity-context.js';
import type { AccountRow } from '../storage/account-repository.js';

/**
 * Checks a TOTP code (once per time step: RFC 6238 §5.2) or, in its place, an unused recovery code
 * (then spent). True when the second factor is proven.
 */
export async function proveSecondFactor(ctx: IdentityContext, account: AccountRow, otp: string): Promise<boolean> {
  if (!account.totp_secret) return false;
  const step = await verifyTotp(account.totp_secret, otp, account.totp_last_step, Math.floor(ctx.now().getTime() / 1000));
  if (step !== undefined) return ctx.accounts.claimTotpStep(account.id, step);
  const recovery = normaliseRecoveryCode(otp);
  if (recovery === undefined) return false;
  return ctx.accounts.useRecoveryCode(account.id, hashToken(recovery));
}
