import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessContext, FhirStore } from '../../fhir/index.js';
import { requireUser, type DevicePrincipal, type Principal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import { enrollDevice, patientClinicFor } from '../devices/enroll-device.js';
import { ZEnrollDeviceBody, ZEnrolledDevice } from '../devices/enroll-device.types.js';
import { webhookReadings, ZWebhookBody } from '../ingest/webhook-contract.js';
import { DeviceCredentialRepository } from '../storage/device-credential-repository.js';
import { ingestReadings, storedValues } from '../use-cases/ingest-readings.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { DeviceRateLimit } from './device-rate-limit.js';

export interface MonitoringRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
  readonly limit: DeviceRateLimit;
  /** Judges stored readings against the patient's rules (after commit: the reading is durable first). */
  readonly alerts: AlertEngine;
}

export const ZIngestResponse = z.object({
  readings: z.array(z.object({ observation: z.string(), created: z.boolean() })),
});

/** The device making the request, or 401: these routes are for device credentials only. */
export function requireDevice(request: FastifyRequest, limit: DeviceRateLimit): DevicePrincipal {
  const p = request.principal;
  if (p?.kind !== 'device') {
    throw new CarelineError('unauthorized', [{ diagnostics: 'This route takes a device credential (Authorization: Bearer cld_…).' }], { 'www-authenticate': 'Bearer realm="careline-devices"' });
  }
  limit.check(p.sessionId);
  return p;
}

export function publicBase(platform: Platform, request: FastifyRequest): string {
  return platform.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** /api/monitoring: device enrolment and revocation (staff), and the JSON webhook (devices). */
export const monitoringRoutes: FastifyPluginAsyncZod<MonitoringRouteOptions> = async (app, { platform, store, accessFor, limit, alerts }) => {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  app.post('/devices', { schema: { tags: ['monitoring'], body: ZEnrollDeviceBody, response: { 201: ZEnrolledDevice } } }, async (request, reply) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const enrolled = await enrollDevice(store, platform.db, ctx, user, request.body, publicBase(platform, request));
    await platform.audit.security({ type: 'client-change', outcome: 'success', actor: `User/${user.accountId}`, target: enrolled.device, patients: [request.body.patient], detail: 'device-credential-issued', requestId: request.id });
    return reply.code(201).send(enrolled);
  });

  app.post('/devices/:id/revoke', { schema: { tags: ['monitoring'], params: z.object({ id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) }) } }, async (request, reply) => {
    const user = requireUser(request);
    const ctx = await accessFor(user, request);
    const device = await store.read(ctx, 'Device', request.params.id);
    // The same people who may assign a device to this patient may revoke it.
    const patient = (device.resource as { patient?: { reference?: string } }).patient?.reference;
    if (!patient?.startsWith('Patient/')) throw new CarelineError('not-found', [{ diagnostics: `Device/${request.params.id} is not known.` }]);
    await patientClinicFor(store, ctx, user, patient);
    const n = await new DeviceCredentialRepository(platform.db).revokeDevice(`Device/${request.params.id}`);
    await platform.audit.security({ type: 'client-change', outcome: 'success', actor: `User/${user.accountId}`, target: `Device/${request.params.id}`, detail: `device-credential-revoked:${String(n)}`, requestId: request.id });
    return reply.code(204).send();
  });

  app.post('/webhook', { schema: { tags: ['monitoring'], body: ZWebhookBody, response: { 201: ZIngestResponse } } }, async (request, reply) => {
    const device = requireDevice(request, limit);
    const { readings, sources, problems } = webhookReadings(request.body);
    if (problems.length > 0) {
      throw new CarelineError('validation-failed', problems.map((p) => ({ diagnostics: p.message, expression: [`readings[${String(p.index)}].unit`] })));
    }
    const stored = await ingestReadings(store, platform.db, {
      ctx: await accessFor(device, request),
      patient: device.patient,
      device: device.device,
      origin: 'device',
      readings,
      pathOf: (i) => `readings[${String(sources[i] ?? i)}]`,
    });
    await alerts.onReadings(device.patient, storedValues(readings, stored));
    return reply.code(201).send({ readings: stored.map((s) => ({ observation: `Observation/${s.observationId}`, created: s.created })) });
  });
};
