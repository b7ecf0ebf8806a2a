import type { FastifyInstance } from 'fastify';
import { createMailer, type Mailer } from '../platform/mail/mailer.js';
import { recordPlugin } from './record/record-plugin.js';
import { roomPlugin } from './room/room-plugin.js';
import { schedulingPlugin } from './scheduling/scheduling-plugin.js';
import { createJoinLinks } from './links/join-links.js';
import type { VisitsDeps } from './visits-deps.js';

export type { VisitsDeps } from './visits-deps.js';

export interface VisitsCapabilityOptions extends Omit<VisitsDeps, 'mailer' | 'publicBase'> {
  /** Defaults to SMTP from configuration; tests may pass their own. */
  readonly mailer?: Mailer;
}

/**
 * Live video visits (issue #6): scheduling and reminders, join links, the waiting room and the
 * WebRTC signaling of the visit room, and the visit record. See visits/README.md.
 */
export async function visitsCapability(app: FastifyInstance, options: VisitsCapabilityOptions): Promise<void> {
  const { config } = options.platform;
  const mailer = options.mailer ?? createMailer(config, options.platform.log);
  app.addHook('onClose', async () => mailer.close());
  const publicBase = (): string => (config.publicUrl ?? `http://${config.host}:${String(config.port)}`).replace(/\/+$/, '');
  const deps: VisitsDeps = { ...options, mailer, publicBase };
  const links = createJoinLinks(deps);
  await app.register(schedulingPlugin, { deps, links });
  await app.register(roomPlugin, { deps, links });
  await app.register(recordPlugin, { deps });
}
