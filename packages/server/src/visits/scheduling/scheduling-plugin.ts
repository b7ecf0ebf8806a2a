import type { FastifyInstance } from 'fastify';
import type { VisitsDeps } from '../visits-deps.js';
import type { JoinLinkIssuer } from '../visit-ports.js';
import { createReminders } from '../reminders/appointment-reminders.js';
import { logOnlySmsSender } from '../reminders/sms-sender.js';
import { schedulingRoutes } from './scheduling-routes.js';

/** Zone of practitioners who have not set availability yet. */
const DEFAULT_ZONE = 'UTC';

/** Scheduling (visit types, availability, slots, appointments) and its reminders, under /api/visits. */
export async function schedulingPlugin(app: FastifyInstance, options: { readonly deps: VisitsDeps; readonly links: JoinLinkIssuer }): Promise<void> {
  const { deps, links } = options;
  const reminders = createReminders(deps, links, logOnlySmsSender(deps.platform.log));
  const scheduling = { deps, links, reminders, defaultZone: DEFAULT_ZONE, now: () => new Date() };
  await app.register(schedulingRoutes, { scheduling, prefix: '/api/visits' });
}
