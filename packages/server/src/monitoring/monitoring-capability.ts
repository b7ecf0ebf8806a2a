import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessContext, FhirStore } from '../fhir/index.js';
import type { Authenticator, Principal } from '../identity/index.js';
import type { Platform } from '../platform/platform.js';
import { AlertEngine } from './alerts/alert-engine.js';
import { DeviceCredentials } from './devices/device-credentials.js';
import { alertRoutes } from './http/alert-routes.js';
import { panelRoutes } from './http/panel-routes.js';
import { preferenceRoutes } from './http/preference-routes.js';
import { DeviceRateLimit } from './http/device-rate-limit.js';
import { monitoringRoutes } from './http/monitoring-routes.js';
import { nightscoutRoutes, nightscoutTreatmentRoutes } from './http/nightscout-routes.js';
import { ingestMqttMessage } from './mqtt/ingest-mqtt-message.js';
import { MqttSubscriber } from './mqtt/mqtt-subscriber.js';
import { timeRoutes } from './time/time-routes.js';
import { billingRoutes } from './http/billing-routes.js';
import { patientReadingRoutes } from './http/patient-readings-routes.js';
import { defineMissedReadingsJob } from './jobs/sweep-missed-readings.js';
import { defineEscalationJob } from './jobs/escalate-alerts.js';
import { createMailer, type Mailer } from '../platform/mail/mailer.js';

export interface MonitoringCapabilityOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly authenticator: Authenticator;
  /** `request` is absent for messages that arrive outside HTTP (MQTT). */
  readonly accessFor: (principal: Principal, request?: FastifyRequest) => Promise<AccessContext>;
  /** Practitioners on a patient's active care teams. */
  readonly careTeamOf: (patient: string) => Promise<string[]>;
  /** Email addresses of the active accounts of these practitioners (escalation mail). */
  readonly emailsOf: (practitioners: readonly string[]) => Promise<string[]>;
  /** Defaults to SMTP from configuration; tests may pass their own. */
  readonly mailer?: Mailer;
}

/** Per device: 600 requests a minute, far above any real device (a reading every 5 s is 12). */
const DEVICE_REQUESTS_PER_MINUTE = 600;

/**
 * Remote patient monitoring (issue #7): device credentials (bearer `cld_…` for the webhook and
 * FHIR, Nightscout secrets for CGM uploaders), the JSON webhook and the Nightscout v1 API.
 */
export async function monitoringCapability(app: FastifyInstance, options: MonitoringCapabilityOptions): Promise<void> {
  const credentials = new DeviceCredentials(options.platform.db);
  options.authenticator.addBearerResolver(credentials);
  const limit = new DeviceRateLimit(DEVICE_REQUESTS_PER_MINUTE, 60_000);
  const alerts = new AlertEngine(options.store, options.platform.db, options.platform.bus, options.careTeamOf);
  defineMissedReadingsJob(options.platform, alerts);
  const mailer = options.mailer ?? createMailer(options.platform.config, options.platform.log);
  app.addHook('onClose', async () => mailer.close());
  const { config } = options.platform;
  defineEscalationJob({
    platform: options.platform,
    mailer,
    careTeamOf: options.careTeamOf,
    emailsOf: options.emailsOf,
    consoleUrl: () => `${(config.publicUrl ?? `http://${config.host}:${String(config.port)}`).replace(/\/+$/, '')}/console`,
  });
  const common = { platform: options.platform, store: options.store, accessFor: options.accessFor, limit, alerts };
  await app.register(monitoringRoutes, { ...common, prefix: '/api/monitoring' });
  await app.register(alertRoutes, { platform: options.platform, store: options.store, accessFor: options.accessFor, prefix: '/api/monitoring' });
  await app.register(timeRoutes, { platform: options.platform, store: options.store, accessFor: options.accessFor, prefix: '/api/monitoring' });
  await app.register(billingRoutes, { platform: options.platform, store: options.store, accessFor: options.accessFor, prefix: '/api/monitoring' });
  await app.register(patientReadingRoutes, { platform: options.platform, store: options.store, accessFor: options.accessFor, alerts, prefix: '/api/monitoring' });
  await app.register(preferenceRoutes, { platform: options.platform, prefix: '/api/monitoring' });
  await app.register(panelRoutes, { platform: options.platform, accessFor: options.accessFor, prefix: '/api/monitoring' });
  await app.register(nightscoutRoutes, { ...common, credentials, prefix: '/api/v1' });
  await app.register(nightscoutTreatmentRoutes, { ...common, credentials, prefix: '/api/v1' });

  const mqtt = options.platform.config.mqtt;
  if (mqtt) {
    const { platform, store, accessFor } = options;
    const deps = { store, db: platform.db, credentials, accessFor: async (device: Principal) => accessFor(device), limit, alerts };
    const subscriber = new MqttSubscriber({
      ...mqtt,
      log: platform.log,
      registry: platform.metrics.registry,
      handle: async (deviceId, payload) =>
        ingestMqttMessage(deps, deviceId, payload, (err) => {
          platform.log.error({ reason: err.message }, 'monitoring rules failed after an MQTT reading was stored');
        }),
    });
    // Connects once the app is ready (bus and jobs started); the broker never holds up /readyz.
    app.addHook('onReady', async () => {
      subscriber.start();
    });
    app.addHook('preClose', async () => {
      await subscriber.stop();
    });
  }
}
