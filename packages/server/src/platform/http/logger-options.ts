import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CarelineConfig } from '../config/config.js';

/**
 * Structured JSON logs that never carry names or clinical values: a request is logged by its
 * method and route pattern (never the raw URL, whose path or query can hold identifiers or search
 * terms), and headers and bodies are not logged at all.
 */
export function loggerOptions(config: Pick<CarelineConfig, 'logLevel'>): Record<string, unknown> {
  return {
    level: config.logLevel,
    base: { service: 'careline' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.password', '*.token'],
      censor: '***',
    },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, route: req.routeOptions?.url ?? 'unmatched' };
      },
      res(res: FastifyReply) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
