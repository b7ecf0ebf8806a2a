import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { ZEmail } from '../credentials/email.js';
import type { IdentityContext } from '../identity-context.js';
import { ROLES } from '../principal.js';
import { createAccount, createOrganization, organizationExists } from '../use-cases/create-account.js';
import { sendEmailVerification } from '../use-cases/mail-links.js';
import { createClient, SCOPE_PATTERN } from '../use-cases/system-clients.js';
import { announceRevoked } from './session-events.js';

/**
 * The `careline users|orgs|clients` commands' routes, under /admin/local/identity: the same
 * loopback + token rule as operations/local-admin-routes.ts (anyone else: 404). The CLI calls them on
 * the running server, or on an app it builds in-process when no server holds the database.
 */
export interface LocalIdentityOptions {
  readonly identity: IdentityContext;
  readonly token: string | undefined;
}

const CLI_ACTOR = 'system:cli';

function isLoopback(ip: string | undefined): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

const ZOrgId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

export const localIdentityRoutes: FastifyPluginAsyncZod<LocalIdentityOptions> = async (app, { identity, token }) => {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const want = Buffer.from(token ?? '');
    const local = isLoopback(request.socket.remoteAddress) || request.socket.remoteAddress === request.socket.localAddress;
    const ok = token !== undefined && local && given.length === want.length && timingSafeEqual(given, want);
    if (!ok) throw new CarelineError('not-found', [{ diagnostics: `No route ${request.method} ${request.url.split('?')[0] ?? ''}.` }]);
  });

  app.post('/orgs', { schema: { hide: true, body: z.object({ name: z.string().trim().min(1).max(200) }) } }, async (request) => ({
    id: await createOrganization(identity, request.body.name),
  }));

  app.post(
    '/users',
    {
      schema: {
        hide: true,
        body: z.object({
          email: ZEmail,
          password: z.string().max(512),
          role: z.enum(ROLES),
          given: z.string().trim().min(1).max(100).optional(),
          family: z.string().trim().min(1).max(100).optional(),
          birthDate: z.iso.date().optional(),
          org: ZOrgId.optional(),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      let organizationId = b.org;
      if (organizationId === undefined) {
        // Without --org the user gets a clinic of their own (a fresh install's first user); see docs/API.md.
        organizationId = await createOrganization(identity, 'Careline Clinic');
      } else if (!(await organizationExists(identity, organizationId))) {
        throw new CarelineError('not-found', [{ diagnostics: `There is no organization ${organizationId}. Create one with "careline orgs add NAME".` }]);
      }
      const created = await createAccount(identity, { email: b.email, password: b.password, role: b.role, organizationId, given: b.given, family: b.family, birthDate: b.birthDate, emailVerified: false });
      await identity.audit.security({ type: 'account-change', outcome: 'success', actor: CLI_ACTOR, target: `User/${created.id}`, organizationId, detail: `created:${b.role}` });
      if (identity.platform.config.mail.smtpUrl) await sendEmailVerification(identity, created.id, b.email);
      return { id: created.id, fhirUser: created.fhirUser, organizationId };
    },
  );

  app.post('/users/disable', { schema: { hide: true, body: z.object({ email: ZEmail }) } }, async (request) => {
    const a = await identity.accounts.byEmail(request.body.email);
    if (!a) throw new CarelineError('not-found', [{ diagnostics: 'There is no account with this email.' }]);
    await identity.platform.db.transaction(async (tx) => {
      await identity.accounts.with(tx).setStatus(a.id, 'disabled');
      await identity.sessions.with(tx).revokeAccount(a.id);
      await identity.audit.security({ type: 'account-change', outcome: 'success', actor: CLI_ACTOR, target: `User/${a.id}`, detail: 'disabled' }, tx);
    });
    await announceRevoked(identity.platform.bus, { accountId: a.id });
    return { id: a.id };
  });

  app.post('/clients', { schema: { hide: true, body: z.object({ scopes: z.array(z.string().regex(SCOPE_PATTERN)).min(1).max(50), org: ZOrgId.optional() }) } }, async (request) => {
    const { scopes, org } = request.body;
    if (org !== undefined && !(await organizationExists(identity, org))) throw new CarelineError('not-found', [{ diagnostics: `There is no organization ${org}.` }]);
    return createClient(identity, scopes, org ?? null, CLI_ACTOR);
  });
};
