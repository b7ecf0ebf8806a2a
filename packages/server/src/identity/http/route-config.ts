import type { CarelineConfig } from '../../platform/config/config.js';

/**
 * Route config for /auth/* and /oauth2/token: a per-address limit tighter than the global one
 * (@fastify/rate-limit, active while CARELINE_RATE_LIMIT_MAX > 0), and, for routes that act on no
 * session, no CSRF check.
 */
export function authRouteConfig(config: CarelineConfig, csrfExempt: boolean): { rateLimit: { max: number; timeWindow: number }; csrfExempt: boolean } {
  return { rateLimit: { max: config.authRateLimit.max, timeWindow: config.authRateLimit.windowMs }, csrfExempt };
}
