import { CarelineError } from '../../platform/errors/careline-error.js';
import type { IdentityContext } from '../identity-context.js';
import { createAccount, createOrganization } from './create-account.js';
import type { LoginMeta } from './login.js';
import type { TSetupBody } from './first-run-setup.types.js';

// Any fixed key: two concurrent first-run requests serialise and the second finds an account.
const SETUP_LOCK_KEY = 7_414_022_003;

/** First run: the clinic and its first admin, only while no account exists. */
export async function firstRunSetup(ctx: IdentityContext, body: TSetupBody, meta: LoginMeta): Promise<{ organizationId: string; accountId: string }> {
  return ctx.platform.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK_KEY]);
    if ((await ctx.accounts.with(tx).count()) > 0) throw new CarelineError('conflict', [{ diagnostics: 'Careline is already set up.' }]);
    const organizationId = await createOrganization(ctx, body.clinicName, tx);
    const { id } = await createAccount(
      ctx,
      { email: body.email, password: body.password, role: 'admin', organizationId, given: body.given, family: body.family, emailVerified: true },
      tx,
    );
    await ctx.audit.security({ type: 'account-change', outcome: 'success', actor: `User/${id}`, organizationId, detail: 'first-run-setup', ...meta }, tx);
    return { organizationId, accountId: id };
  });
}
