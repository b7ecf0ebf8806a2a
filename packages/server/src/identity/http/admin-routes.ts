import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAccountView } from '../use-cases/account-view.types.js';
import { accountView } from '../use-cases/account-view.js';
import { firstRunSetup } from '../use-cases/first-run-setup.js';
import { ZSetupBody, ZSetupResult, ZSetupStatus } from '../use-cases/first-run-setup.types.js';
import { invite } from '../use-cases/mail-links.js';
import { ZInvitationBody, ZInvitationCreated } from '../use-cases/mail-links.types.js';
import { assertAdminOf, listUsers, setUserRoles, setUserStatus } from '../use-cases/manage-users.js';
import { ZRole } from '../use-cases/account-view.types.js';
import type { IdentityRouteOptions } from './auth-routes.js';
import { requestMeta } from './request-meta.js';
import { requireUser } from './require.js';
import { authRouteConfig } from './route-config.js';

const ZOrgParams = z.object({ organizationId: z.string().max(64) });
const ZUserParams = ZOrgParams.extend({ id: z.uuid() });

/** /api: clinic administration and first-run setup (docs/API.md). */
export const adminRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { identity }) => {
  const config = identity.platform.config;

  app.get('/setup', { schema: { tags: ['identity'], response: { 200: ZSetupStatus } } }, async () => ({ needed: (await identity.accounts.count()) === 0 }));

  app.post(
    '/setup',
    { config: authRouteConfig(config, true), schema: { tags: ['identity'], body: ZSetupBody, response: { 201: ZSetupResult } } },
    async (request, reply) => reply.code(201).send(await firstRunSetup(identity, request.body, requestMeta(request))),
  );

  app.post('/admin/invitations', { schema: { tags: ['identity'], body: ZInvitationBody, response: { 201: ZInvitationCreated } } }, async (request, reply) => {
    const admin = requireUser(request);
    assertAdminOf(admin, request.body.organizationId);
    return reply.code(201).send(await invite(identity, `User/${admin.accountId}`, request.body, requestMeta(request)));
  });

  app.get(
    '/admin/organizations/:organizationId/users',
    { schema: { tags: ['identity'], params: ZOrgParams, response: { 200: z.object({ users: z.array(ZAccountView) }) } } },
    async (request) => ({
      users: (await listUsers(identity, requireUser(request), request.params.organizationId)).map((a) => accountView(a, request.params.organizationId)),
    }),
  );

  app.put(
    '/admin/organizations/:organizationId/users/:id/roles',
    { schema: { tags: ['identity'], params: ZUserParams, body: z.object({ roles: z.array(ZRole).min(1).max(8) }), response: { 200: ZAccountView } } },
    async (request) => {
      const { organizationId, id } = request.params;
      const a = await setUserRoles(identity, requireUser(request), organizationId, id, request.body.roles, requestMeta(request));
      return accountView(a, organizationId);
    },
  );

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post(`/admin/organizations/:organizationId/users/:id/${action}`, { schema: { tags: ['identity'], params: ZUserParams } }, async (request, reply) => {
      await setUserStatus(identity, requireUser(request), request.params.organizationId, request.params.id, status, requestMeta(request));
      return reply.code(204).send();
    });
  }
};
