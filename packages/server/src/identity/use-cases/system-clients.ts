import { timingSafeEqual } from 'node:crypto';
import { CLIENT_ID_PATTERN, hashToken, newClientId, newToken, parseToken } from '../credentials/tokens.js';
import type { IdentityContext } from '../identity-context.js';
import { createClientSession } from './create-session.js';

/** SMART-style scopes ('system/*.read', 'system/Observation.write'): a bounded token grammar. */
export const SCOPE_PATTERN = /^[A-Za-z0-9*._/:-]{1,100}$/;

export async function createClient(ctx: IdentityContext, scopes: readonly string[], organizationId: string | null, actor: string): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = newClientId();
  const clientSecret = newToken();
  await ctx.clients.insert({ id: clientId, secretHash: hashToken(clientSecret), scopes, organizationId });
  await ctx.audit.security({ type: 'client-change', outcome: 'success', actor, target: `Client/${clientId}`, ...(organizationId ? { organizationId } : {}), detail: 'created' });
  return { clientId, clientSecret };
}

export type TokenOutcome =
  | { readonly ok: true; readonly accessToken: string; readonly expiresIn: number; readonly scope: string }
  | { readonly ok: false; readonly error: 'invalid_client' | 'invalid_scope' };

/** RFC 6749 §4.4: client credentials → a bearer token limited to the client's (requested) scopes. */
export async function issueClientToken(ctx: IdentityContext, clientId: string, clientSecret: string, requestedScope: string | undefined): Promise<TokenOutcome> {
  const secret = parseToken(clientSecret);
  const client = CLIENT_ID_PATTERN.test(clientId) ? await ctx.clients.byId(clientId) : undefined;
  const want = Buffer.from(client?.secret_hash ?? '0'.repeat(64));
  const given = Buffer.from(hashToken(secret ?? ''));
  const secretOk = secret !== undefined && timingSafeEqual(want, given);
  if (!client || client.disabled_at !== null || !secretOk) {
    await ctx.audit.security({ type: 'login', outcome: 'failure', actor: null, ...(client ? { target: `Client/${client.id}` } : {}), detail: 'invalid-client' });
    return { ok: false, error: 'invalid_client' };
  }
  const requested = requestedScope?.split(' ').filter((s) => s.length > 0) ?? client.scopes;
  if (!requested.every((s) => client.scopes.includes(s))) return { ok: false, error: 'invalid_scope' };
  const { accessToken, expiresIn } = await createClientSession(ctx, client.id);
  await ctx.audit.security({ type: 'login', outcome: 'success', actor: `Client/${client.id}` });
  return { ok: true, accessToken, expiresIn, scope: requested.join(' ') };
}
