import type { AccessContext, FhirStore } from '../../fhir/index.js';
import type { DevicePrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Database } from '../../platform/db/database.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { DeviceCredentials } from '../devices/device-credentials.js';
import type { DeviceRateLimit } from '../http/device-rate-limit.js';
import { webhookReadings } from '../ingest/webhook-contract.js';
import { ingestReadings, storedValues } from '../use-cases/ingest-readings.js';
import { parseReadingsPayload, type PayloadProblem } from './mqtt-message.js';

export interface MqttIngestDeps {
  readonly store: FhirStore;
  readonly db: Database;
  readonly credentials: DeviceCredentials;
  readonly accessFor: (device: DevicePrincipal) => Promise<AccessContext>;
  readonly limit: DeviceRateLimit;
  readonly alerts: AlertEngine;
}

/** What became of one message; every outcome but a thrown error is acknowledged (PUBACK). */
export type MqttOutcome =
  | { readonly kind: 'stored'; readonly created: number; readonly replayed: number }
  | { readonly kind: 'unknown-device' }
  | { readonly kind: 'invalid'; readonly problems: readonly PayloadProblem[] }
  | { readonly kind: 'rate-limited'; readonly problems: readonly PayloadProblem[] };

const problemsOf = (err: CarelineError): PayloadProblem[] =>
  err.details.map((d) => ({ path: d.expression?.[0] ?? '$', message: d.diagnostics ?? err.message }));

/**
 * One MQTT message from `careline/devices/{deviceId}/readings`: the device must hold a live
 * credential (unknown or revoked → dropped), the payload is checked like the webhook's, and the
 * readings are stored through the same idempotent ingest. Resolves after commit, so the caller may
 * acknowledge; a storage failure throws and the message stays unacknowledged (the broker redelivers).
 * Rules run after commit, as on every path; their failure does not undo or un-acknowledge a stored reading.
 */
export async function ingestMqttMessage(deps: MqttIngestDeps, deviceId: string, payload: Buffer, onRulesError: (err: Error) => void): Promise<MqttOutcome> {
  const device = await deps.credentials.resolveDevice(`Device/${deviceId}`);
  if (!device) return { kind: 'unknown-device' };
  try {
    deps.limit.check(device.sessionId);
  } catch (err) {
    if (err instanceof CarelineError) return { kind: 'rate-limited', problems: problemsOf(err) };
    throw err;
  }
  const parsed = parseReadingsPayload(payload);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
  const { readings, sources, problems } = webhookReadings(parsed.body);
  if (problems.length > 0) return { kind: 'invalid', problems: problems.map((p) => ({ path: `readings[${String(p.index)}].unit`, message: p.message })) };
  let stored;
  try {
    stored = await ingestReadings(deps.store, deps.db, {
      ctx: await deps.accessFor(device),
      patient: device.patient,
      device: device.device,
      origin: 'device',
      readings,
      pathOf: (i) => `readings[${String(sources[i] ?? i)}]`,
    });
  } catch (err) {
    // A refused reading (future, implausible) is the device's problem, not the store's: answer it.
    if (err instanceof CarelineError && err.status < 500) return { kind: 'invalid', problems: problemsOf(err) };
    throw err;
  }
  await deps.alerts.onReadings(device.patient, storedValues(readings, stored)).catch((err: unknown) => {
    onRulesError(err instanceof Error ? err : new Error(String(err)));
  });
  const created = stored.filter((s) => s.created).length;
  return { kind: 'stored', created, replayed: stored.length - created };
}
