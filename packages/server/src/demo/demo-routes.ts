import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentityContext } from '../identity/identity-context.js';
import { localAdminGuard } from '../operations/local-admin-routes.js';
import { CarelineError } from '../platform/errors/careline-error.js';
import { loadDemoClinic } from './load-demo-clinic.js';

export const ZDemoBody = z.object({ patients: z.number().int().min(1).max(200).optional(), seed: z.number().int().min(0).max(2 ** 31).optional() }).strict();

export const ZDemoClinic = z.object({
  organizationId: z.string(),
  password: z.string(),
  accounts: z.array(z.object({ email: z.string(), role: z.string(), fhirUser: z.string().nullable() })),
  patients: z.number(),
});

export interface DemoRouteOptions {
  readonly identity: () => IdentityContext;
  readonly localAdminToken: string | undefined;
}

/**
 * `POST /api/setup/demo`: the setup screen's "load a demo clinic" button, allowed only while the
 * database has no account (like first-run setup itself: whoever reaches a fresh server first).
 * `POST /admin/local/demo`: `careline demo` (loopback and the server's token only).
 */
export const demoRoutes: FastifyPluginAsyncZod<DemoRouteOptions> = async (app, { identity, localAdminToken }) => {
  const schema = { body: ZDemoBody, response: { 201: ZDemoClinic } };

  app.post('/api/setup/demo', { schema: { ...schema, tags: ['setup'] } }, async (request, reply) => {
    const ctx = identity();
    if ((await ctx.accounts.count()) > 0) {
      throw new CarelineError('conflict', [{ diagnostics: 'This Careline has accounts already; an admin loads the demo with `careline demo`.' }]);
    }
    void reply.header('cache-control', 'no-store');
    const demo = await loadDemoClinic(ctx, request.body);
    return reply.code(201).send({ ...demo, accounts: [...demo.accounts] });
  });

  await app.register(async (local) => {
    local.addHook('onRequest', localAdminGuard(localAdminToken));
    local.withTypeProvider<ZodTypeProvider>().post('/admin/local/demo', { schema: { ...schema, hide: true } }, async (request, reply) => {
      const demo = await loadDemoClinic(identity(), request.body);
      return reply.code(201).send({ ...demo, accounts: [...demo.accounts] });
    });
  });
};
