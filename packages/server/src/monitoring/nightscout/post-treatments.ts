import { randomUUID } from 'node:crypto';
import { ORGANIZATION_TAG_SYSTEM, permissivePolicy, type AccessContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import type { DevicePrincipal } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { DeviceReading } from '../ingest/device-reading.js';
import { ingestReadings, storedValues } from '../use-cases/ingest-readings.js';
import { NightscoutRepository, type TreatmentRow } from './nightscout-repository.js';
import { bgCheckOrigin, bgCheckReading, keptBody, treatmentKey, treatmentResources, treatmentTime, type Treatment } from './nightscout-treatments.js';

export interface PostTreatmentsDeps {
  readonly store: FhirStore;
  readonly db: Database;
  readonly alerts: AlertEngine;
}

/**
 * Stores Nightscout treatments once each. All are checked first (a refused batch stores nothing).
 * BG Checks go through the reading ingest (monitoring_reading, rules); then one transaction claims
 * every treatment key and writes the carbs Observations, insulin MedicationAdministrations and
 * note Communications of the newly claimed ones. The device grant creates only Observations, so
 * those resources are written with a permissive policy but the device as the audited agent: Careline
 * builds them itself, bound to the device's patient and clinic, from the validated fields.
 */
export async function postTreatments(deps: PostTreatmentsDeps, device: DevicePrincipal, ctx: AccessContext, treatments: readonly Treatment[], now = new Date()): Promise<{ id: string; created: boolean }[]> {
  const problems: { diagnostics: string; expression: string[] }[] = [];
  const prepared = treatments.map((t, i) => {
    const at = treatmentTime(t);
    if (at === undefined) {
      problems.push({ diagnostics: `treatments[${String(i)}] needs "created_at" (ISO date-time) or "date" (epoch milliseconds).`, expression: [`treatments[${String(i)}].created_at`] });
      return undefined;
    }
    const key = treatmentKey(t, device.device, at);
    const bg = bgCheckReading(t, at, key);
    if (bg && 'problem' in bg) problems.push({ diagnostics: `treatments[${String(i)}] ${bg.problem}`, expression: [`treatments[${String(i)}].glucose`] });
    return { t, at, key, bg: bg && 'reading' in bg ? bg.reading : undefined };
  });
  if (problems.length > 0) throw new CarelineError('validation-failed', problems.slice(0, 20));
  const items = prepared.filter((p): p is NonNullable<typeof p> => p !== undefined);

  // Glucose first, through the one reading ingest (future or implausible values refuse the batch).
  for (const origin of ['device', 'patient-entered'] as const) {
    const withBg = items.filter((p) => p.bg !== undefined && bgCheckOrigin(p.t) === origin);
    if (withBg.length === 0) continue;
    const readings = withBg.map((p) => p.bg as DeviceReading);
    const index = withBg.map((p) => items.indexOf(p));
    const stored = await ingestReadings(deps.store, deps.db, {
      ctx, patient: device.patient, device: device.device, origin, readings,
      pathOf: (i) => `treatments[${String(index[i] ?? i)}]`,
      now,
    });
    await deps.alerts.onReadings(device.patient, storedValues(readings, stored));
  }

  const writer: AccessContext = { ...ctx, policy: permissivePolicy };
  const tag = { system: ORGANIZATION_TAG_SYSTEM, code: device.organizationId };
  const firstOf = new Map<string, (typeof items)[number]>();
  for (const p of items) if (!firstOf.has(p.key)) firstOf.set(p.key, p);
  const planned = [...firstOf.values()].map((p) => {
    const resources = treatmentResources(p.t, p.at, p.key, { patient: device.patient, device: device.device, organizationTag: tag, received: now }).map((r) => ({ r, id: randomUUID() }));
    const row: TreatmentRow = {
      key: p.key, device: device.device, patient: device.patient, id: randomUUID(), eventType: p.t.eventType, createdAt: new Date(p.at), received: now, body: keptBody(p.t),
      resources: resources.map((x) => `${String(x.r.resourceType)}/${x.id}`),
    };
    return { row, resources };
  });
  const { claimed, ids, changes } = await deps.db.transaction(async (tx) => {
    const repo = new NightscoutRepository(tx);
    const fresh = await repo.claimTreatments(planned.map((p) => p.row));
    const creates = planned
      .filter((p) => fresh.has(p.row.key))
      .flatMap((p) => p.resources.map((x) => deps.store.prepareCreate(x.r.resourceType === 'Observation' ? ctx : writer, deps.store.validate(x.r as FhirResource), x.id, now)));
    const stored = creates.length > 0 ? await deps.store.insertPrepared(creates, tx) : [];
    return {
      claimed: fresh,
      ids: await repo.treatmentIds(items.map((p) => p.key)),
      changes: stored.map((v) => ({ resourceType: v.resource.resourceType, id: String(v.resource.id), versionId: v.versionId, method: 'POST' as const, compartments: v.compartments ?? [] })),
    };
  });
  for (const c of changes) deps.store.publish(c);
  const seen = new Set<string>();
  return items.map((p) => {
    const created = claimed.has(p.key) && !seen.has(p.key);
    seen.add(p.key);
    return { id: ids.get(p.key) ?? '', created };
  });
}

/** A stored treatment as Nightscout answers it. */
export function treatmentToNightscout(row: TreatmentRow): Record<string, unknown> {
  return { _id: row.id, ...row.body, eventType: row.eventType, created_at: row.createdAt.toISOString(), mills: row.createdAt.getTime(), device: row.device };
}
