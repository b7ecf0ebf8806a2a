import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessContext, FhirStore } from '../../fhir/index.js';
import { requireUser, type Principal } from '../../identity/index.js';
import type { Platform } from '../../platform/platform.js';
import { deleteTimeEntry } from './delete-time-entry.js';
import { listTimeEntries } from './list-time-entries.js';
import { logTimeEntry } from './log-time-entry.js';
import { ZTimeEntriesQuery, ZTimeEntry, ZTimeEntryBody } from './time-entry.types.js';

export interface TimeRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
  readonly now?: () => Date;
}

/** /api/monitoring/time-entries: the care team's treatment-management time (timer and manual entries). */
export const timeRoutes: FastifyPluginAsyncZod<TimeRouteOptions> = async (app, { platform, store, accessFor, now = () => new Date() }) => {
  app.post('/time-entries', { schema: { tags: ['monitoring'], body: ZTimeEntryBody, response: { 201: ZTimeEntry } } }, async (request, reply) => {
    const user = requireUser(request);
    const entry = await logTimeEntry(store, platform.db, platform.audit, await accessFor(user, request), user, request.body, now());
    return reply.code(201).send(entry);
  });

  app.get('/time-entries', { schema: { tags: ['monitoring'], querystring: ZTimeEntriesQuery, response: { 200: z.object({ entries: z.array(ZTimeEntry), seconds: z.number(), timeZone: z.string() }) } } }, async (request) => {
    const user = requireUser(request);
    return listTimeEntries(store, platform.db, platform.audit, await accessFor(user, request), user, request.query.patient, request.query.month, now());
  });

  app.delete('/time-entries/:id', { schema: { tags: ['monitoring'], params: z.object({ id: z.uuid() }) } }, async (request, reply) => {
    const user = requireUser(request);
    await deleteTimeEntry(platform.db, platform.audit, await accessFor(user, request), user, request.params.id, now());
    return reply.code(204).send();
  });
};
