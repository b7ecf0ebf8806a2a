import { VISIT_WS_PATH, VISIT_WS_PROTOCOL } from '@careline/contracts';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AccessContext, FhirStore } from './fhir/index.js';
import Fastify, { LogController, type FastifyRequest, type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditTrail } from './platform/audit/audit-trail.js';
import type { CarelineConfig } from './platform/config/config.js';
import type { Database } from './platform/db/database.js';
import { assertDurable } from './platform/db/durability.js';
import { migrate } from './platform/db/migrate.js';
import { openDatabase } from './platform/db/open-database.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { loggerOptions } from './platform/http/logger-options.js';
import { installMetricsRoute } from './platform/http/metrics-route.js';
import { installOpenApi } from './platform/http/openapi.js';
import { genRequestId } from './platform/http/request-context.js';
import { installSecurity } from './platform/http/security.js';
import { Jobs } from './platform/jobs/jobs.js';
import { Metrics } from './platform/metrics/metrics.js';
import type { Platform } from './platform/platform.js';
import { RealtimeBus } from './platform/realtime/bus.js';
import { anyOf, installWebSocket, testChannelPolicy } from './platform/realtime/ws-route.js';
import { VERSION } from './platform/version.js';
import { registerCapabilities } from './capabilities.js';
import { Authenticator, personalTopics, WS_BEARER_PROTOCOL } from './identity/index.js';
import { registerPlatformJobs } from './platform/jobs/platform-jobs.js';

export interface BuildAppOptions {
  /** An already-open database (tests pass a cloned template); otherwise opened from config. */
  readonly db?: Database;
  /** Close `db` when the app closes, as if the app had opened it (the process entry opens it early). */
  readonly closeDatabase?: boolean;
  /** Extra pino options for tests (e.g. a stream to capture log lines). */
  readonly logStream?: NodeJS.WritableStream;
  /** pg-boss polling interval; tests shorten it. */
  readonly jobPollingSeconds?: number;
  /** Token for the loopback-only routes the CLI uses while this server holds the embedded database. */
  readonly localAdminToken?: string;
  /**
   * Access context of FHIR API callers (tests). By default: the access policy (identity/access) of
   * request.principal; anonymous callers are denied everything, or, with CARELINE_INSECURE_OPEN_FHIR
   * (development and benchmarks only), allowed everything.
   */
  readonly fhirAccess?: (request: FastifyRequest) => AccessContext | Promise<AccessContext>;
  /** Registers extra routes before the app is sealed (tests use it for probe routes). */
  readonly extend?: (app: FastifyInstance) => void;
}

export type CarelineApp = FastifyInstance & { readonly platform: Platform; readonly fhir: FhirStore };

/**
 * Builds a ready Careline app without listening: opens (or takes) the database, refuses unsafe
 * durability settings, migrates, starts the realtime bus and jobs, and registers every capability.
 * The process entry (cli/start.ts) listens; tests call app.inject().
 */
export async function buildApp(config: CarelineConfig, options: BuildAppOptions = {}): Promise<CarelineApp> {
  const https = config.tls ? { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) } : null;
  const serverOptions: FastifyServerOptions & { https?: { key: Buffer; cert: Buffer } } = {
    logger: options.logStream ? { ...loggerOptions(config), stream: options.logStream } : loggerOptions(config),
    genReqId: genRequestId,
    requestIdHeader: false,
    // One line per request from our own onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // Fastify accepts a hop count too (proxy-addr); its typings omit the number form.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ...(https ? { https } : {}),
  };
  // With TLS the server is an https.Server, which Fastify serves through the same interface.
  const app = Fastify(serverOptions as FastifyHttpOptions<Server>).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ownsDb = options.db === undefined || options.closeDatabase === true;
  const db = options.db ?? (await openDatabase(config, (err) => app.log.warn({ reason: err.message }, 'database connection error')));
  try {
    const unsafe = await assertDurable(db, config.acceptUnsafeDurability);
    if (unsafe.length > 0) app.log.warn({ settings: unsafe }, 'running with unsafe durability settings, as accepted by configuration');
    await migrate(db);
  } catch (err) {
    if (ownsDb) await db.close();
    await app.close();
    throw err;
  }

  const bus = new RealtimeBus(db, (err) => app.log.warn({ reason: err.message }, 'realtime bus error'));
  const jobs = new Jobs(db, (err) => app.log.warn({ reason: err.message }, 'job queue error'));
  const metrics = new Metrics(db);
  metrics.setQueueDepthSource(() => jobs.queueDepths());
  const audit = new AuditTrail(db, (err) => app.log.error({ reason: err.message }, 'audit trail error'));
  const platform: Platform = { config, db, bus, jobs, metrics, audit, log: app.log, version: VERSION };
  app.decorate('platform', platform);

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // One line per request, after it completes: route pattern, never the raw URL (see logger-options.ts).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });
  installErrorHandling(app);
  await installSecurity(app, config);
  await installOpenApi(app, VERSION);
  installMetricsRoute(app, platform, 'main');
  // Authentication runs on every route (REST, /fhir/R4, the /ws upgrade), so it is installed on the root first.
  const authenticator = new Authenticator(platform);
  await authenticator.install(app);
  await installWebSocket(app, platform, anyOf(testChannelPolicy(config.enableTestChannel), personalTopics), {
    authorize: (request) => authenticator.authorizeWebSocket(request),
    track: (request, socket) => authenticator.trackWebSocket(request, socket),
    protocol: WS_BEARER_PROTOCOL,
  }, new Map([[VISIT_WS_PATH, VISIT_WS_PROTOCOL]]));
  registerPlatformJobs(platform);
  if (config.insecureOpenFhir) app.log.warn('CARELINE_INSECURE_OPEN_FHIR is on: the FHIR API is open to anyone who can reach it');
  const fhir = await registerCapabilities(app, platform, {
    authenticator,
    localAdminToken: options.localAdminToken,
    fhirAccess: options.fhirAccess,
  });
  app.decorate('fhir', fhir);
  options.extend?.(app);

  await bus.start();
  if (config.jobs) await jobs.start(options.jobPollingSeconds !== undefined ? { pollingIntervalSeconds: options.jobPollingSeconds } : {});
  // Background work like jobs: the audit chain is sealed about every second (and before every verify).
  if (config.jobs) audit.startSealer();

  app.addHook('onClose', async () => {
    await jobs.stop().catch((err: unknown) => app.log.warn({ reason: (err as Error).message }, 'stopping jobs failed'));
    await audit.stop().catch((err: unknown) => app.log.warn({ reason: (err as Error).message }, 'stopping the audit sealer failed'));
    await bus.stop().catch(() => undefined);
    if (ownsDb) await db.close();
  });
  await app.ready();
  return app as unknown as CarelineApp;
}
