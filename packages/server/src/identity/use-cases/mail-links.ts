import { systemContext } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { normaliseEmail } from '../credentials/email.js';
import { hashToken, newToken, parseToken } from '../credentials/tokens.js';
import type { IdentityContext } from '../identity-context.js';
import { isRole } from '../principal.js';
import { announceRevoked } from '../http/session-events.js';
import { assertPasswordAllowed, createAccount } from './create-account.js';
import type { LoginMeta } from './login.js';
import type { TInvitationBody } from './mail-links.types.js';

const RESET_TTL_MS = 15 * 60_000;
const VERIFY_TTL_MS = 24 * 3_600_000;
const INVITE_TTL_MS = 7 * 24 * 3_600_000;

function linkInvalid(): CarelineError {
  return new CarelineError('link-invalid');
}

/**
 * Password reset, step 1. The caller always gets 202 and the work happens after the answer, so
 * neither the answer nor its timing tells whether the email has an account (OWASP ASVS V2.5.6).
 */
export function requestPasswordReset(ctx: IdentityContext, rawEmail: string, meta: LoginMeta): void {
  const email = normaliseEmail(rawEmail);
  void (async () => {
    const account = await ctx.accounts.byEmail(email);
    if (account?.status !== 'active') return;
    const token = newToken();
    const now = ctx.now();
    await ctx.mailTokens.invalidate(account.id, 'password-reset', now);
    await ctx.mailTokens.insert({ tokenHash: hashToken(token), purpose: 'password-reset', accountId: account.id, email, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
    await ctx.audit.security({ type: 'password-reset', outcome: 'success', actor: null, target: `User/${account.id}`, detail: 'link-sent', ...meta });
    await ctx.mailer.send({
      to: email,
      subject: 'Reset your Careline password',
      text: `Someone asked to reset the password of your Careline account.\n\nTo choose a new password, open this link within 15 minutes:\n${ctx.publicUrl()}/reset-password#token=${token}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
    });
  })().catch((err: unknown) => ctx.platform.log.warn({ reason: (err as Error).message }, 'password reset mail failed'));
}

/** Password reset, step 2: single use; revokes every session; the next login still needs MFA. */
export async function resetPassword(ctx: IdentityContext, rawToken: string, password: string, meta: LoginMeta): Promise<void> {
  const token = parseToken(rawToken);
  if (!token) throw linkInvalid();
  const live = await ctx.mailTokens.peek(hashToken(token), 'password-reset', ctx.now());
  if (!live?.account_id) throw linkInvalid();
  assertPasswordAllowed(password, live.email);
  const hash = await ctx.hasher.hash(password);
  const accountId = await ctx.platform.db.transaction(async (tx) => {
    const used = await ctx.mailTokens.with(tx).consume(hashToken(token), 'password-reset', ctx.now());
    if (!used?.account_id) throw linkInvalid();
    await ctx.accounts.with(tx).setPassword(used.account_id, hash);
    await ctx.sessions.with(tx).revokeAccount(used.account_id);
    await ctx.audit.security({ type: 'password-reset', outcome: 'success', actor: `User/${used.account_id}`, detail: 'password-set', ...meta }, tx);
    return used.account_id;
  });
  await announceRevoked(ctx.platform.bus, { accountId });
}

/** Mails a link confirming the account's email address. */
export async function sendEmailVerification(ctx: IdentityContext, accountId: string, email: string): Promise<void> {
  const token = newToken();
  await ctx.mailTokens.insert({ tokenHash: hashToken(token), purpose: 'email-verification', accountId, email, expiresAt: new Date(ctx.now().getTime() + VERIFY_TTL_MS) });
  await ctx.mailer.send({
    to: email,
    subject: 'Confirm your email address for Careline',
    text: `Please confirm this email address for your Careline account by opening:\n${ctx.publicUrl()}/verify-email#token=${token}\n`,
  });
}

export async function verifyEmail(ctx: IdentityContext, rawToken: string, meta: LoginMeta): Promise<void> {
  const token = parseToken(rawToken);
  if (!token) throw linkInvalid();
  await ctx.platform.db.transaction(async (tx) => {
    const used = await ctx.mailTokens.with(tx).consume(hashToken(token), 'email-verification', ctx.now());
    if (!used?.account_id) throw linkInvalid();
    await ctx.accounts.with(tx).markEmailVerified(used.account_id);
    await ctx.audit.security({ type: 'email-verification', outcome: 'success', actor: `User/${used.account_id}`, ...meta }, tx);
  });
}

/** An admin invites someone to a clinic: a single-use link valid 7 days. */
export async function invite(ctx: IdentityContext, actor: string, body: TInvitationBody, meta: LoginMeta): Promise<{ id: string; expiresAt: string }> {
  const token = newToken();
  const tokenHash = hashToken(token);
  const expiresAt = new Date(ctx.now().getTime() + INVITE_TTL_MS);
  const { email, ...data } = body;
  await ctx.mailTokens.insert({ tokenHash, purpose: 'invitation', accountId: null, email, data, createdBy: actor, expiresAt });
  await ctx.audit.security({ type: 'invitation', outcome: 'success', actor, organizationId: body.organizationId, detail: `role:${body.role}`, ...meta });
  await ctx.mailer.send({
    to: email,
    subject: 'You are invited to Careline',
    text: `You have been invited to join your clinic on Careline.\n\nTo create your account, open this link within 7 days:\n${ctx.publicUrl()}/invitation#token=${token}\n`,
  });
  // The id is the hash's prefix: enough to refer to the invitation, useless as a credential.
  return { id: tokenHash.slice(0, 16), expiresAt: expiresAt.toISOString() };
}

interface InvitationData {
  readonly role: string;
  readonly organizationId: string;
  readonly given: string | undefined;
  readonly family: string | undefined;
  readonly birthDate: string | undefined;
}

function invitationData(data: Record<string, unknown>): InvitationData {
  const role = typeof data.role === 'string' ? data.role : '';
  const organizationId = typeof data.organizationId === 'string' ? data.organizationId : '';
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { role, organizationId, given: str(data.given), family: str(data.family), birthDate: str(data.birthDate) };
}

export async function showInvitation(ctx: IdentityContext, rawToken: string): Promise<{ email: string; role: string; organizationId: string; organizationName: string | null; expiresAt: string }> {
  const token = parseToken(rawToken);
  const live = token ? await ctx.mailTokens.peek(hashToken(token), 'invitation', ctx.now()) : undefined;
  if (!live) throw linkInvalid();
  const d = invitationData(live.data);
  const organizationName = await ctx.store
    .read(systemContext('identity'), 'Organization', d.organizationId)
    .then((org) => (typeof org.resource.name === 'string' ? org.resource.name : null))
    .catch(() => null);
  return { email: live.email, role: d.role, organizationId: d.organizationId, organizationName, expiresAt: live.expires_at.toISOString() };
}

/** Accepting creates the account (+ FHIR identity) with the email verified: the mail reached them. */
export async function acceptInvitation(ctx: IdentityContext, rawToken: string, password: string, meta: LoginMeta): Promise<{ id: string; email: string; fhirUser: string | null }> {
  const token = parseToken(rawToken);
  const live = token ? await ctx.mailTokens.peek(hashToken(token), 'invitation', ctx.now()) : undefined;
  if (!token || !live) throw linkInvalid();
  assertPasswordAllowed(password, live.email);
  const d = invitationData(live.data);
  if (!isRole(d.role)) throw linkInvalid();
  const role = d.role;
  return ctx.platform.db.transaction(async (tx) => {
    const used = await ctx.mailTokens.with(tx).consume(hashToken(token), 'invitation', ctx.now());
    if (!used) throw linkInvalid();
    const created = await createAccount(
      ctx,
      { email: used.email, password, role, organizationId: d.organizationId, given: d.given, family: d.family, birthDate: d.birthDate, emailVerified: true },
      tx,
    );
    await ctx.audit.security({ type: 'invitation', outcome: 'success', actor: `User/${created.id}`, organizationId: d.organizationId, detail: 'accepted', ...meta }, tx);
    return { id: created.id, email: used.email, fhirUser: created.fhirUser };
  });
}
