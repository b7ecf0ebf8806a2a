import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditAgent, type AccessContext } from '../../fhir/index.js';
import { requireUser, type Principal } from '../../identity/index.js';
import type { Platform } from '../../platform/platform.js';
import { buildPanel } from '../panel/build-panel.js';
import { PanelRepository } from '../panel/panel-repository.js';
import { clinicsOf } from './alert-routes.js';

export interface PanelRouteOptions {
  readonly platform: Platform;
  readonly accessFor: (principal: Principal, request?: FastifyRequest) => Promise<AccessContext>;
}

const ZPanel = z.object({
  patients: z.array(
    z.object({
      patient: z.string(),
      programs: z.array(z.string()),
      openAlerts: z.object({ high: z.number(), medium: z.number() }),
      latest: z.array(z.object({ measure: z.string(), value: z.number(), at: z.string(), outOfRange: z.boolean() })),
      deviceDays30: z.number(),
      minutesThisMonth: z.number(),
      lastReading: z.string().nullable(),
    }),
  ),
});

/** GET /api/monitoring/panel: the caller's enrolled patients, most urgent first (issue #7 item 5). */
export const panelRoutes: FastifyPluginAsyncZod<PanelRouteOptions> = async (app, { platform, accessFor }) => {
  app.get('/panel', { schema: { tags: ['monitoring'], response: { 200: ZPanel } } }, async (request, reply) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const now = new Date();
    // Minutes this calendar month (UTC month; the billing report counts in the clinic's time zone).
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const repo = new PanelRepository(platform.db);
    const rows = (await repo.rows(clinicsOf(user), new Date(now.getTime() - 30 * 86_400_000), monthStart)).filter((r) =>
      ctx.policy.canRead({ resourceType: 'Patient', id: r.patient.slice('Patient/'.length), compartments: [r.patient, `Organization/${r.organization_id}`] }),
    );
    const panel = buildPanel(rows, await repo.latest(rows.map((r) => r.patient)));
    const who = auditAgent(ctx);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who, patients: panel.map((p) => p.patient), entity: 'Observation' }]);
    void reply.header('cache-control', 'no-store');
    return { patients: panel.map((p) => ({ ...p, programs: [...p.programs], latest: [...p.latest] })) };
  });
};
