import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditAgent, type AccessContext, type FhirStore } from '../../fhir/index.js';
import { requireUser, type Principal } from '../../identity/index.js';
import type { Platform } from '../../platform/platform.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import { ClinicSettingRepository } from '../billing/clinic-setting-repository.js';
import { ambulatoryGlucoseProfile, summarizeCgm } from '../cgm/cgm-metrics.js';
import { patientClinicFor } from '../devices/enroll-device.js';
import { KINDS } from '../ingest/vital-kinds.js';
import { addMyReading, portalPatient } from '../readings/add-my-reading.js';
import { ZMyReadingBody, ZSeries, ZSeriesQuery } from '../readings/patient-readings.types.js';
import { readingsSeries } from '../readings/readings-series.js';
import { ReadingRepository } from '../storage/reading-repository.js';

export interface PatientReadingRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
  readonly alerts: AlertEngine;
}

const ZPatientParams = z.object({ id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) });

/** Readings for charts: the patient's own (portal, and readings typed in by hand) and the care team's view. */
export const patientReadingRoutes: FastifyPluginAsyncZod<PatientReadingRouteOptions> = async (app, { platform, store, accessFor, alerts }) => {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  app.post('/my-readings', { schema: { tags: ['monitoring'], body: ZMyReadingBody, response: { 201: z.object({ observation: z.string(), created: z.boolean() }) } } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.code(201).send(await addMyReading(store, platform.db, alerts, await accessFor(user, request), user, request.body));
  });

  app.get('/my-readings', { schema: { tags: ['monitoring'], querystring: ZSeriesQuery, response: { 200: ZSeries } } }, async (request) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const patient = await portalPatient(store, ctx, user, request.query.patient);
    const series = await readingsSeries(platform.db, patient, request.query.measure, request.query.days);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who: auditAgent(ctx), patients: [patient], entity: 'Observation' }]);
    return series;
  });

  app.get('/patients/:id/series', { schema: { tags: ['monitoring'], params: ZPatientParams, querystring: ZSeriesQuery.omit({ patient: true }), response: { 200: ZSeries } } }, async (request) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const patient = `Patient/${request.params.id}`;
    await patientClinicFor(store, ctx, user, patient);
    const series = await readingsSeries(platform.db, patient, request.query.measure, request.query.days);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who: auditAgent(ctx), patients: [patient], entity: 'Observation' }]);
    return series;
  });

  app.get('/patients/:id/cgm', { schema: { tags: ['monitoring'], params: ZPatientParams, querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }).strict() } }, async (request) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const patient = `Patient/${request.params.id}`;
    const clinic = await patientClinicFor(store, ctx, user, patient);
    const to = new Date();
    const from = new Date(to.getTime() - request.query.days * 86_400_000);
    const values = (await new ReadingRepository(platform.db).series(patient, [KINDS['cgm-glucose'].code], from, 90 * 288)).map((v) => ({ at: v.at, value: v.value }));
    const timeZone = await new ClinicSettingRepository(platform.db).timeZone(clinic);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who: auditAgent(ctx), patients: [patient], entity: 'Observation' }]);
    return { patient, from: from.toISOString(), to: to.toISOString(), timeZone, summary: summarizeCgm(values, from, to), agp: ambulatoryGlucoseProfile(values, timeZone) };
  });
};
