import type { FastifyInstance } from 'fastify';
import type { VisitsDeps } from '../visits-capability.js';

/** STUB — replaced by the record implementation. */
export async function recordPlugin(_app: FastifyInstance, _options: { readonly deps: VisitsDeps }): Promise<void> {}
