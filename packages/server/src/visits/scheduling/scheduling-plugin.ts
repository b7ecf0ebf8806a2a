import type { FastifyInstance } from 'fastify';
import type { VisitsDeps } from '../visits-capability.js';
import type { JoinLinkIssuer } from '../visit-ports.js';

/** STUB — replaced by the scheduling implementation. */
export async function schedulingPlugin(_app: FastifyInstance, _options: { readonly deps: VisitsDeps; readonly links: JoinLinkIssuer }): Promise<void> {}
