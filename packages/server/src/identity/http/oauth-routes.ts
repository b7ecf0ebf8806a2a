import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { issueClientToken } from '../use-cases/system-clients.js';
import type { IdentityRouteOptions } from './auth-routes.js';
import { authRouteConfig } from './route-config.js';

const ZTokenRequest = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(200).optional(),
  scope: z.string().max(2000).optional(),
});

/** HTTP Basic credentials (RFC 6749 §2.3.1: form-urlencoded id and secret, then base64). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * POST /oauth2/token, client credentials grant only (RFC 6749 §4.4). Errors take RFC 6749 §5.2's
 * shape, which OAuth clients expect, rather than an OperationOutcome.
 */
export const oauthRoutes: FastifyPluginAsync<IdentityRouteOptions> = async (app, { identity }) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post('/token', { config: authRouteConfig(identity.platform.config, true), schema: { hide: true } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const parsed = ZTokenRequest.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request' });
    const body = parsed.data;
    if (body.grant_type !== 'client_credentials') return reply.code(400).send({ error: body.grant_type ? 'unsupported_grant_type' : 'invalid_request' });
    const basic = basicCredentials(request.headers.authorization);
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    if (!id || !secret) return reply.code(401).send({ error: 'invalid_client' });
    const r = await issueClientToken(identity, id, secret, body.scope);
    if (!r.ok) {
      if (r.error === 'invalid_client') return reply.code(401).header('www-authenticate', 'Basic realm="careline"').send({ error: r.error });
      return reply.code(400).send({ error: r.error });
    }
    return { access_token: r.accessToken, token_type: 'Bearer', expires_in: r.expiresIn, scope: r.scope };
  });
};
