import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { CarelineConfig } from '../config/config.js';
import { CarelineError } from '../errors/careline-error.js';

/**
 * Security headers, CORS and rate limiting, for every route.
 * CSP allows only our own origin; frame-ancestors 'none' stops click-jacking of the portal.
 * HSTS (RFC 6797) is sent only when TLS is in use: served directly, or a trusted proxy says https.
 */
export async function installSecurity(app: FastifyInstance, config: CarelineConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  const hsts = 'max-age=31536000; includeSubDomains';
  app.addHook('onSend', async (request, reply) => {
    if (config.tls || (config.trustProxy !== false && request.protocol === 'https')) void reply.header('strict-transport-security', hsts);
    // Default deny for caches too: any answer that did not choose its own caching (the web app's
    // static files do) may hold health data, so no browser or proxy keeps a copy (issue #5 item 7).
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });

  // Closed unless origins are configured: the web app is served from the same origin.
  await app.register(cors, { origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false, credentials: true });

  if (config.rateLimit.max > 0) {
    await app.register(rateLimit, {
      global: true,
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      // Probes must keep answering under load.
      allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
      errorResponseBuilder: (_req, ctx) => {
        const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
        return new CarelineError('rate-limited', [{ diagnostics: `Too many requests; try again in ${seconds} s.` }], {
          'retry-after': String(seconds),
        });
      },
    });
  }
}
