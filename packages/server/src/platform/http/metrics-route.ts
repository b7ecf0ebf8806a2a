import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../platform.js';
import { CarelineError } from '../errors/careline-error.js';

function tokenMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/**
 * GET /metrics in Prometheus text format. With CARELINE_METRICS_TOKEN it needs that bearer token;
 * with CARELINE_METRICS_PORT it is served on its own listener instead (see start.ts); otherwise it
 * answers only to loopback callers (and to nobody behind a trusted proxy, where every caller looks local).
 */
export function installMetricsRoute(app: FastifyInstance, platform: Platform, mode: 'main' | 'dedicated'): void {
  const { metrics, config } = platform;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method, status_code: String(reply.statusCode) };
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    metrics.httpRequests.inc(labels);
  });
  if (mode === 'main' && config.metrics.port !== undefined) return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (mode === 'main') {
      const allowed = config.metrics.token
        ? tokenMatches(request, config.metrics.token)
        : config.trustProxy === false && isLoopback(request.socket.remoteAddress ?? '');
      if (!allowed) throw new CarelineError('not-found', [{ diagnostics: 'No route GET /metrics.' }]);
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
