import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csrfTokenFor } from '../credentials/tokens.js';
import type { IdentityContext } from '../identity-context.js';
import { ZAccountView, ZPreferencesBody } from '../use-cases/account-view.types.js';
import { accountView } from '../use-cases/account-view.js';
import { changePassword } from '../use-cases/change-password.js';
import { ZChangePasswordBody } from '../use-cases/change-password.types.js';
import { login } from '../use-cases/login.js';
import { ZLoginBody, ZLoginResponse } from '../use-cases/login.types.js';
import { disableTotp, confirmTotp, setupTotp } from '../use-cases/totp-enrolment.js';
import { ZOtpBody, ZTotpConfirmResponse, ZTotpDisableBody, ZTotpSetupResponse } from '../use-cases/totp-enrolment.types.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { clearSessionCookie, setSessionCookie } from './authenticate.js';
import { requestMeta } from './request-meta.js';
import { requireAccountOrEnrolment, requireUser } from './require.js';
import { authRouteConfig } from './route-config.js';
import { announceRevoked } from './session-events.js';

export interface IdentityRouteOptions {
  readonly identity: IdentityContext;
}

/** /auth: login, logout, me, TOTP enrolment (docs/API.md). */
export const authRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { identity }) => {
  const config = identity.platform.config;
  app.addHook('onSend', async (_request, reply) => {
    // Credentials and recovery codes must never sit in a cache (OWASP ASVS V8.2.1).
    void reply.header('cache-control', 'no-store');
  });

  app.post(
    '/login',
    { config: authRouteConfig(config, true), schema: { tags: ['identity'], body: ZLoginBody, response: { 200: ZLoginResponse } } },
    async (request, reply) => {
      const s = await login(identity, request.body, requestMeta(request));
      setSessionCookie(reply, request, s.cookieToken, s.expiresIn);
      return { accessToken: s.accessToken, tokenType: 'Bearer' as const, expiresIn: s.expiresIn, csrfToken: s.csrfToken };
    },
  );

  app.post('/logout', { config: authRouteConfig(config, false), schema: { tags: ['identity'] } }, async (request, reply) => {
    const p = request.principal;
    if (p?.kind === 'user') {
      await identity.sessions.revoke(p.sessionId);
      await identity.audit.security({ type: 'logout', outcome: 'success', actor: `User/${p.accountId}`, ...requestMeta(request) });
      await announceRevoked(identity.platform.bus, { sessionIds: [p.sessionId] });
    }
    clearSessionCookie(reply, request);
    return reply.code(204).send();
  });

  app.get('/me', { config: authRouteConfig(config, false), schema: { tags: ['identity'], response: { 200: ZAccountView } } }, async (request) => {
    const accountId = requireAccountOrEnrolment(request);
    const account = await identity.accounts.byId(accountId);
    if (!account) throw new CarelineError('unauthorized');
    return { ...accountView(account), ...(request.sessionCookie ? { csrfToken: csrfTokenFor(request.sessionCookie) } : {}) };
  });

  app.put('/me/preferences', { config: authRouteConfig(config, false), schema: { tags: ['identity'], body: ZPreferencesBody } }, async (request, reply) => {
    await identity.accounts.setLocale(requireUser(request).accountId, request.body.locale);
    return reply.code(204).send();
  });

  app.post('/mfa/totp/setup', { config: authRouteConfig(config, false), schema: { tags: ['identity'], response: { 200: ZTotpSetupResponse } } }, async (request) =>
    setupTotp(identity, requireAccountOrEnrolment(request)),
  );

  app.post(
    '/mfa/totp/confirm',
    { config: authRouteConfig(config, false), schema: { tags: ['identity'], body: ZOtpBody, response: { 200: ZTotpConfirmResponse } } },
    async (request) => ({ recoveryCodes: await confirmTotp(identity, requireAccountOrEnrolment(request), request.body.otp, requestMeta(request)) }),
  );

  app.post('/password/change', { config: authRouteConfig(config, true), schema: { tags: ['identity'], body: ZChangePasswordBody } }, async (request, reply) => {
    await changePassword(identity, requireUser(request), request.body, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/mfa/totp/disable', { config: authRouteConfig(config, false), schema: { tags: ['identity'], body: ZTotpDisableBody } }, async (request, reply) => {
    await disableTotp(identity, requireUser(request).accountId, request.body, requestMeta(request));
    return reply.code(204).send();
  });
};

export const ZEmpty = z.object({});
