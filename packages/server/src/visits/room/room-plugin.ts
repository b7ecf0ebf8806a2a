import type { FastifyInstance } from 'fastify';
import type { VisitsDeps } from '../visits-capability.js';
import type { JoinLinkIssuer } from '../visit-ports.js';

/** STUB — replaced by the room implementation. */
export async function roomPlugin(_app: FastifyInstance, _options: { readonly deps: VisitsDeps; readonly links: JoinLinkIssuer }): Promise<void> {}
