import type { FastifyRequest } from 'fastify';
import type { CarelineConfig } from '../../platform/config/config.js';

/** The origins this server answers as: CARELINE_PUBLIC_URL's and the one the request was sent to. */
export function ownOrigins(request: FastifyRequest, config: CarelineConfig): Set<string> {
  const origins = new Set<string>([`${request.protocol}://${request.host}`]);
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  return origins;
}

/** True when the request carries no Origin (not a cross-site browser request) or our own. */
export function originAllowed(request: FastifyRequest, config: CarelineConfig, extra: readonly string[] = []): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return ownOrigins(request, config).has(origin) || extra.includes(origin);
}
