import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CarelineError } from '../platform/errors/careline-error.js';
import { migrate } from '../platform/db/migrate.js';
import { PgliteDatabase } from '../platform/db/pglite-database.js';
import type { CapabilityOptions } from '../platform/platform.js';
import { doctorReport } from './doctor-report.js';

/**
 * Routes the `careline` CLI uses while the server holds the embedded database (PGlite admits one
 * process). Reachable only from loopback with the token the server wrote to data/server.json
 * (mode 0600); anyone else gets 404, so their existence is not even revealed.
 */
export interface LocalAdminOptions extends CapabilityOptions {
  readonly token: string | undefined;
}

const ZMigrateResponse = z.object({ applied: z.array(z.number()), current: z.number(), latestKnown: z.number() });

function isLoopback(ip: string | undefined): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/** The loopback + token check, for every plugin registered under /admin/local (capabilities add theirs). */
export function localAdminGuard(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const want = Buffer.from(token ?? '');
    const local = isLoopback(request.socket.remoteAddress) || request.socket.remoteAddress === request.socket.localAddress;
    const ok = token !== undefined && local && given.length === want.length && timingSafeEqual(given, want);
    if (!ok) throw new CarelineError('not-found', [{ diagnostics: `No route ${request.method} ${request.url.split('?')[0] ?? ''}.` }]);
  };
}

export const localAdminRoutes: FastifyPluginAsyncZod<LocalAdminOptions> = async (app, { platform, token }) => {
  app.addHook('onRequest', localAdminGuard(token));

  app.get('/doctor', { schema: { hide: true } }, async () => doctorReport(platform.config, platform.db));

  app.post('/migrate', { schema: { hide: true, response: { 200: ZMigrateResponse } } }, async () => {
    const r = await migrate(platform.db);
    return { applied: [...r.applied], current: r.current, latestKnown: r.latestKnown };
  });

  app.post('/backup', { schema: { hide: true } }, async (_request, reply) => {
    if (!(platform.db instanceof PgliteDatabase)) {
      throw new CarelineError('bad-request', [{ diagnostics: 'Backups of a PostgreSQL server are made with pg_dump.' }]);
    }
    const blob = await platform.db.dump();
    return reply.type('application/gzip').header('cache-control', 'no-store').send(Buffer.from(await blob.arrayBuffer()));
  });
};
