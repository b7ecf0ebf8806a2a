import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditAgent, systemContext, type AccessContext, type FhirStore } from '../../fhir/index.js';
import { hasRole, requireUser, type Principal, type UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import { enrollPatient } from '../use-cases/enroll-patient.js';
import { ZEnrollBody, ZEnrollment } from '../use-cases/enroll-patient.types.js';
import { AlertRepository, type AlertRow } from '../storage/alert-repository.js';
import { addAlertNote, listAlertNotes } from '../alerts/alert-notes.js';
import { ZAlertNoteBody, ZAlertNotes } from '../alerts/alert-notes.types.js';

export interface AlertRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
}

const ZAlert = z.object({
  id: z.string(),
  patient: z.string(),
  condition: z.string(),
  severity: z.enum(['high', 'medium']),
  summary: z.string(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  occurrences: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
  snoozedUntil: z.string().nullable(),
  flag: z.string().nullable(),
  task: z.string().nullable(),
});
const ZId = z.object({ id: z.uuid() });

function view(a: AlertRow): z.infer<typeof ZAlert> {
  return {
    id: a.id, patient: a.patient, condition: a.condition, severity: a.severity, summary: a.summary, status: a.status, occurrences: a.occurrences,
    firstAt: a.first_at.toISOString(), lastAt: a.last_at.toISOString(), snoozedUntil: a.snoozed_until?.toISOString() ?? null,
    flag: a.flag_id ? `Flag/${a.flag_id}` : null, task: a.task_id ? `Task/${a.task_id}` : null,
  };
}

const CLINICAL = ['clinician', 'nurse', 'specialist'] as const;

/** The clinics where the user holds a clinical role: the only alerts they can be shown. */
export function clinicsOf(user: UserPrincipal): string[] {
  return [...new Set(user.memberships.filter((m) => CLINICAL.some((r) => hasRole(user, r, m.organizationId))).map((m) => m.organizationId))];
}

/** Whether the caller's policy lets them see this patient (the alert's patient, in its clinic). */
const sees = (ctx: AccessContext, a: AlertRow): boolean =>
  ctx.policy.canRead({ resourceType: 'Patient', id: a.patient.slice('Patient/'.length), compartments: [a.patient, `Organization/${a.organization_id}`] });

/** /api/monitoring: enrolments and the care team's alert queue (acknowledge, snooze, resolve). */
export const alertRoutes: FastifyPluginAsyncZod<AlertRouteOptions> = async (app, { platform, store, accessFor }) => {
  app.post('/enrollments', { schema: { tags: ['monitoring'], body: ZEnrollBody, response: { 201: ZEnrollment } } }, async (request, reply) => {
    const user = requireUser(request);
    const enrolled = await enrollPatient(store, platform.db, await accessFor(user, request), user, request.body);
    return reply.code(201).send(enrolled);
  });

  const ZQueueQuery = z
    .object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      /** Only this patient's alerts (the console's patient page). */
      patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'must be Patient/<id>').optional(),
    })
    .strict();
  app.get('/alerts', { schema: { tags: ['monitoring'], querystring: ZQueueQuery, response: { 200: z.object({ alerts: z.array(ZAlert) }) } } }, async (request) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const repo = new AlertRepository(platform.db);
    const { patient, limit } = request.query;
    const rows = patient ? await repo.queueForPatient(clinicsOf(user), patient, limit) : await repo.queueForClinics(clinicsOf(user), limit * 4);
    const visible = rows.filter((a) => sees(ctx, a)).slice(0, limit);
    const who = auditAgent(ctx);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who, patients: [...new Set(visible.map((a) => a.patient))], entity: 'Flag' }]);
    return { alerts: visible.map(view) };
  });

  /** Loads an alert the caller may act on, or 404 (as if it did not exist). */
  const actionable = async (request: FastifyRequest, id: string): Promise<{ user: UserPrincipal; ctx: AccessContext; alert: AlertRow }> => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const alert = await new AlertRepository(platform.db).byId(id);
    if (!alert || !clinicsOf(user).includes(alert.organization_id) || !sees(ctx, alert)) throw new CarelineError('not-found', [{ diagnostics: `Alert ${id} is not known.` }]);
    return { user, ctx, alert };
  };
  const record = async (ctx: AccessContext, alert: AlertRow): Promise<void> => {
    const who = auditAgent(ctx);
    await platform.audit.access([{ interaction: 'update', outcome: 'success', who, patients: [alert.patient], entity: alert.flag_id ? `Flag/${alert.flag_id}` : `monitoring-alert/${alert.id}` }]);
  };

  app.post('/alerts/:id/acknowledge', { schema: { tags: ['monitoring'], params: ZId, body: z.object({ snoozeMinutes: z.number().int().min(1).max(7 * 24 * 60).optional() }).strict(), response: { 200: ZAlert } } }, async (request) => {
    const { user, ctx, alert } = await actionable(request, request.params.id);
    const now = new Date();
    const snooze = request.body.snoozeMinutes === undefined ? null : new Date(now.getTime() + request.body.snoozeMinutes * 60_000);
    const updated = await new AlertRepository(platform.db).acknowledge(alert.id, `User/${user.accountId}`, now, snooze);
    if (!updated) throw new CarelineError('conflict', [{ diagnostics: 'The alert is resolved already.' }]);
    if (alert.task_id) await store.patch(systemContext('monitoring'), 'Task', alert.task_id, [{ op: 'replace', path: '/status', value: 'accepted' }]);
    await record(ctx, alert);
    return view(updated);
  });

  app.get('/alerts/:id/notes', { schema: { tags: ['monitoring'], params: ZId, response: { 200: ZAlertNotes } } }, async (request) => {
    const { ctx, alert } = await actionable(request, request.params.id);
    return { notes: await listAlertNotes(store, ctx, alert) };
  });

  /** A note on the alert: a FHIR Annotation on its Task, written and audited as the caller. */
  app.post('/alerts/:id/notes', { schema: { tags: ['monitoring'], params: ZId, body: ZAlertNoteBody, response: { 201: ZAlertNotes } } }, async (request, reply) => {
    const { user, ctx, alert } = await actionable(request, request.params.id);
    return reply.code(201).send({ notes: await addAlertNote(store, ctx, user, alert, request.body.text) });
  });

  app.post('/alerts/:id/resolve', { schema: { tags: ['monitoring'], params: ZId, body: z.object({}).strict().optional(), response: { 200: ZAlert } } }, async (request) => {
    const { user, ctx, alert } = await actionable(request, request.params.id);
    const updated = await new AlertRepository(platform.db).resolve(alert.id, `User/${user.accountId}`, new Date());
    if (!updated) throw new CarelineError('conflict', [{ diagnostics: 'The alert is resolved already.' }]);
    const system = systemContext('monitoring');
    if (alert.flag_id) await store.patch(system, 'Flag', alert.flag_id, [{ op: 'replace', path: '/status', value: 'inactive' }]);
    if (alert.task_id) await store.patch(system, 'Task', alert.task_id, [{ op: 'replace', path: '/status', value: 'completed' }]);
    await record(ctx, alert);
    return view(updated);
  });
};
