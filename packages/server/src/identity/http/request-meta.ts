import type { FastifyRequest } from 'fastify';

/** Where a security event came from, for the audit record (address and request id only). */
export function requestMeta(request: FastifyRequest): { sourceIp: string; requestId: string } {
  return { sourceIp: request.ip, requestId: request.id };
}
