import { ZHealthResponse, ZOperationOutcome, ZReadyResponse } from '@careline/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CapabilityOptions } from '../platform/platform.js';
import { FHIR_JSON } from '../platform/http/error-handler.js';
import { operationOutcome } from '../platform/errors/careline-error.js';

/**
 * Liveness and readiness for load balancers and orchestrators.
 * /readyz answers within the configured timeout (≤ 5 s) whatever the database does, and recovers by
 * itself: each probe is a fresh round trip through the pool.
 */
export const healthRoutes: FastifyPluginAsyncZod<CapabilityOptions> = async (app, { platform }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: ZHealthResponse } } },
    async () => ({ status: 'ok' as const, version: platform.version }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database answers; 503 with Retry-After when it does not',
        response: { 200: ZReadyResponse, 503: ZOperationOutcome },
      },
    },
    async (_request, reply) => {
      try {
        const latencyMs = await platform.db.ping(platform.config.readyTimeoutMs);
        return { status: 'ready' as const, database: { kind: platform.db.kind, ok: true, latencyMs: Math.round(latencyMs * 100) / 100 } };
      } catch (err) {
        platform.log.warn({ reason: (err as Error).message }, 'readiness: database unavailable');
        return reply
          .code(503)
          .header('retry-after', '5')
          .type(FHIR_JSON)
          .send(operationOutcome('database-unavailable', [{ diagnostics: `The ${platform.db.kind} database did not answer.` }]));
      }
    },
  );
};
