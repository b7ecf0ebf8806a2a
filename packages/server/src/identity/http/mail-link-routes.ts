import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation, requestPasswordReset, resetPassword, showInvitation, verifyEmail } from '../use-cases/mail-links.js';
import { ZAccepted, ZForgotBody, ZInvitationView, ZResetBody, ZTokenBody } from '../use-cases/mail-links.types.js';
import type { IdentityRouteOptions } from './auth-routes.js';
import { requestMeta } from './request-meta.js';
import { authRouteConfig } from './route-config.js';

/** /auth: password reset, email verification, invitations (links mailed by the server). */
export const mailLinkRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { identity }) => {
  const cfg = authRouteConfig(identity.platform.config, true);

  app.post('/password/forgot', { config: cfg, schema: { tags: ['identity'], body: ZForgotBody } }, async (request, reply) => {
    requestPasswordReset(identity, request.body.email, requestMeta(request));
    return reply.code(202).send({});
  });

  app.post('/password/reset', { config: cfg, schema: { tags: ['identity'], body: ZResetBody } }, async (request, reply) => {
    await resetPassword(identity, request.body.token, request.body.password, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/email/verify', { config: cfg, schema: { tags: ['identity'], body: ZTokenBody } }, async (request, reply) => {
    await verifyEmail(identity, request.body.token, requestMeta(request));
    return reply.code(204).send();
  });

  app.get(
    '/invitations/:token',
    { config: cfg, schema: { tags: ['identity'], params: z.object({ token: z.string().max(100) }), response: { 200: ZInvitationView } } },
    async (request) => {
      const v = await showInvitation(identity, request.params.token);
      return { ...v, role: ZInvitationView.shape.role.parse(v.role) };
    },
  );

  app.post('/invitations/accept', { config: cfg, schema: { tags: ['identity'], body: ZResetBody, response: { 201: ZAccepted } } }, async (request, reply) =>
    reply.code(201).send(await acceptInvitation(identity, request.body.token, request.body.password, requestMeta(request))),
  );
};
