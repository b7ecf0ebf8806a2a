import type { FastifyRequest } from 'fastify';

/** The realtime topic carrying a practitioner's monitoring alerts (published per care-team member). */
export function practitionerAlertsTopic(practitioner: string): string {
  return `practitioner.${practitioner.slice('Practitioner/'.length)}.alerts`;
}

/**
 * Personal realtime topics: a signed-in practitioner may subscribe to their own alert topic, nobody
 * else's. (The WebSocket route asks this for every subscription; default deny.)
 */
export function personalTopics(topic: string, request: FastifyRequest): boolean {
  const p = request.principal;
  if (p?.kind !== 'user' || !p.fhirUser?.startsWith('Practitioner/')) return false;
  return topic === practitionerAlertsTopic(p.fhirUser);
}
