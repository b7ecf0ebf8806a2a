import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditAgent, type AccessContext, type FhirStore } from '../../fhir/index.js';
import type { DevicePrincipal, Principal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import type { DeviceCredentials } from '../devices/device-credentials.js';
import type { DeviceReading } from '../ingest/device-reading.js';
import { entryToReading, ZNightscoutEntries } from '../ingest/nightscout-entries.js';
import { KINDS } from '../ingest/vital-kinds.js';
import { ReadingRepository } from '../storage/reading-repository.js';
import { ingestReadings, storedValues } from '../use-cases/ingest-readings.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { DeviceRateLimit } from './device-rate-limit.js';
import { postDeviceStatus, statusToNightscout, ZDeviceStatuses } from '../nightscout/devicestatus.js';
import { NightscoutRepository } from '../nightscout/nightscout-repository.js';
import { ZTreatments } from '../nightscout/nightscout-treatments.js';
import { postTreatments, treatmentToNightscout } from '../nightscout/post-treatments.js';

export interface NightscoutRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly credentials: DeviceCredentials;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
  readonly limit: DeviceRateLimit;
  /** Judges stored readings against the patient's rules (after commit: the reading is durable first). */
  readonly alerts: AlertEngine;
}

const ZCountQuery = z.object({ count: z.coerce.number().int().min(1).max(1000).default(10), token: z.string().max(200).optional() }).loose();
const ZTokenQuery = z.object({ token: z.string().max(200).optional() }).loose();

const CGM = KINDS['cgm-glucose'].code;
const METER = KINDS.glucose.code;

/**
 * Nightscout API v1 (the subset CGM uploaders use: xDrip+, Loop, AAPS, Trio), so they work unchanged
 * with Careline as their "Nightscout site". Auth per Nightscout: `api-secret` header (SHA-1 hex of
 * the secret) or `?token=`; each secret belongs to one device and patient, and nothing here answers
 * without one. Readings land as FHIR Observations through the same idempotent ingest as every path.
 */
/** The device a Nightscout request speaks for (`api-secret` header or `?token=`), within its rate limit; else 401. */
async function nightscoutDevice(request: FastifyRequest, credentials: DeviceCredentials, limit: DeviceRateLimit): Promise<DevicePrincipal> {
  const header = request.headers['api-secret'];
  const token = (request.query as { token?: unknown } | undefined)?.token;
  const device = await credentials.resolveNightscout(typeof header === 'string' ? header : undefined, typeof token === 'string' ? token : undefined);
  if (!device) throw new CarelineError('unauthorized', [{ diagnostics: 'Send the API secret (api-secret header) or a token (?token=) of a Careline device credential.' }]);
  limit.check(device.sessionId);
  return device;
}

export const nightscoutRoutes: FastifyPluginAsyncZod<NightscoutRouteOptions> = async (app, { platform, store, credentials, accessFor, limit, alerts }) => {
  const authenticate = (request: FastifyRequest): Promise<DevicePrincipal> => nightscoutDevice(request, credentials, limit);

  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  app.get('/status.json', { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => {
    await authenticate(request);
    const now = new Date();
    return {
      status: 'ok',
      name: 'Careline',
      version: platform.version,
      serverTime: now.toISOString(),
      serverTimeEpoch: now.getTime(),
      apiEnabled: true,
      careportalEnabled: false,
      settings: { units: 'mg/dl', enable: [], authDefaultRoles: 'denied' },
      extendedSettings: {},
      authorized: null,
    };
  });

  const postEntries = async (request: FastifyRequest): Promise<unknown[]> => {
    const device = await authenticate(request);
    const parsed = ZNightscoutEntries.safeParse(request.body);
    if (!parsed.success) {
      throw new CarelineError('validation-failed', parsed.error.issues.slice(0, 20).map((i) => ({ diagnostics: i.message, expression: [['entries', ...i.path.map(String)].join('.')] })));
    }
    const entries = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const readings: DeviceReading[] = [];
    const indexes: number[] = [];
    const problems: { diagnostics: string; expression: string[] }[] = [];
    entries.forEach((e, i) => {
      const o = entryToReading(e);
      if (o.kind === 'reading') {
        readings.push(o.reading);
        indexes.push(i);
      } else if (o.kind === 'invalid') problems.push({ diagnostics: `entries[${String(i)}] ${o.message}`, expression: [`entries[${String(i)}]`] });
    });
    if (problems.length > 0) throw new CarelineError('validation-failed', problems.slice(0, 20));
    const stored = await ingestReadings(store, platform.db, {
      ctx: await accessFor(device, request),
      patient: device.patient,
      device: device.device,
      origin: 'device',
      readings,
      pathOf: (i) => `entries[${String(indexes[i] ?? i)}]`,
    });
    await alerts.onReadings(device.patient, storedValues(readings, stored));
    // Nightscout answers with the stored entries; uploaders only check for success.
    return stored.map((s, i) => ({ ...entries[indexes[i] ?? i], _id: s.observationId }));
  };
  app.post('/entries', { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => postEntries(request));
  app.post('/entries.json', { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => postEntries(request));

  const getEntries = async (request: FastifyRequest, measures: readonly string[], count: number): Promise<unknown[]> => {
    const device = await authenticate(request);
    const ctx = await accessFor(device, request);
    const rows = await new ReadingRepository(platform.db).latest(device.patient, measures, count);
    const who = auditAgent(ctx);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who, patients: [device.patient], entity: 'Observation' }]);
    return rows.map((r) => ({
      _id: r.observationId,
      type: r.measure === CGM ? 'sgv' : 'mbg',
      ...(r.measure === CGM ? { sgv: r.value } : { mbg: r.value }),
      date: r.at.getTime(),
      dateString: r.at.toISOString(),
      device: device.device,
    }));
  };
  const countOf = (request: FastifyRequest): number => ZCountQuery.parse(request.query).count;
  app.get('/entries', { schema: { tags: ['nightscout'], querystring: ZCountQuery } }, async (request) => getEntries(request, [CGM, METER], countOf(request)));
  app.get('/entries.json', { schema: { tags: ['nightscout'], querystring: ZCountQuery } }, async (request) => getEntries(request, [CGM, METER], countOf(request)));
  app.get('/entries/sgv.json', { schema: { tags: ['nightscout'], querystring: ZCountQuery } }, async (request) => getEntries(request, [CGM], countOf(request)));
  app.get('/entries/current.json', { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => getEntries(request, [CGM], 1));
};

/** Parses a Nightscout body (one document or an array) or answers 400 naming the field. */
function parseBody<T>(schema: z.ZodType<T | T[]>, body: unknown, name: string): T[] {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CarelineError('validation-failed', parsed.error.issues.slice(0, 20).map((i) => ({ diagnostics: i.message, expression: [[name, ...i.path.map(String)].join('.')] })));
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}

/** /api/v1/treatments and /api/v1/devicestatus (docs/MONITORING.md §4). */
export const nightscoutTreatmentRoutes: FastifyPluginAsyncZod<NightscoutRouteOptions> = async (app, { platform, store, credentials, accessFor, limit, alerts }) => {
  const authenticate = (request: FastifyRequest): Promise<DevicePrincipal> => nightscoutDevice(request, credentials, limit);
  const audited = async (device: DevicePrincipal, request: FastifyRequest, entity: string): Promise<void> => {
    const ctx = await accessFor(device, request);
    const who = auditAgent(ctx);
    await platform.audit.access([{ interaction: 'search-type', outcome: 'success', who, patients: [device.patient], entity }]);
  };
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  const post = async (request: FastifyRequest): Promise<unknown[]> => {
    const device = await authenticate(request);
    const treatments = parseBody(ZTreatments, request.body, 'treatments');
    const stored = await postTreatments({ store, db: platform.db, alerts }, device, await accessFor(device, request), treatments);
    return stored.map((s, i) => ({ ...treatments[i], _id: s.id }));
  };
  const get = async (request: FastifyRequest): Promise<unknown[]> => {
    const device = await authenticate(request);
    const { count } = ZCountQuery.parse(request.query);
    const rows = await new NightscoutRepository(platform.db).latestTreatments(device.patient, count);
    await audited(device, request, 'Observation');
    return rows.map(treatmentToNightscout);
  };
  for (const url of ['/treatments', '/treatments.json']) {
    app.post(url, { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => post(request));
    app.get(url, { schema: { tags: ['nightscout'], querystring: ZCountQuery } }, async (request) => get(request));
  }

  for (const url of ['/devicestatus', '/devicestatus.json']) {
    app.post(url, { schema: { tags: ['nightscout'], querystring: ZTokenQuery } }, async (request) => {
      const device = await authenticate(request);
      const rows = await postDeviceStatus(platform.db, device, parseBody(ZDeviceStatuses, request.body, 'devicestatus'));
      return rows.map(statusToNightscout);
    });
    app.get(url, { schema: { tags: ['nightscout'], querystring: ZCountQuery } }, async (request) => {
      const device = await authenticate(request);
      const { count } = ZCountQuery.parse(request.query);
      const rows = await new NightscoutRepository(platform.db).latestStatuses(device.patient, count);
      await audited(device, request, 'Device');
      return rows.map(statusToNightscout);
    });
  }
};
