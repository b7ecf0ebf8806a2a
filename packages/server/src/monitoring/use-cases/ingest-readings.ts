import { randomUUID } from 'node:crypto';
import type { AccessContext, FhirStore, FhirResource } from '../../fhir/index.js';
import type { Database } from '../../platform/db/database.js';
import { assertReadings, readingKey, toObservation, type DeviceReading } from '../ingest/device-reading.js';
import { KINDS } from '../ingest/vital-kinds.js';
import { ReadingRepository, type ReadingRow } from '../storage/reading-repository.js';

export interface IngestRequest {
  /** Who writes: the device credential's access context (its policy allows only its patient). */
  readonly ctx: AccessContext;
  readonly patient: string;
  readonly device: string;
  readonly origin: 'device' | 'patient-entered';
  readonly readings: readonly DeviceReading[];
  /** Error paths name the caller's own fields (e.g. `readings[3]`, `entries[7]`). */
  readonly pathOf: (index: number) => string;
  readonly now?: Date;
}

export interface IngestedReading {
  readonly observationId: string;
  /** false: a replay of a reading stored before (or earlier in the same batch). */
  readonly created: boolean;
}

/**
 * Stores a batch of readings as FHIR Observations, each exactly once. All of the batch is checked
 * first (a refused batch stores nothing); then, in one transaction, the readings' keys are claimed
 * in monitoring_reading and only the newly claimed become Observations, written through the FHIR
 * store (the one door, so access and audit apply) in one multi-row statement. Resolves after
 * commit: an acknowledgement always means durable.
 */
export async function ingestReadings(store: FhirStore, db: Database, req: IngestRequest): Promise<IngestedReading[]> {
  const now = req.now ?? new Date();
  assertReadings(req.readings, now, req.pathOf);
  const keys = req.readings.map((r) => readingKey(r, req.device));
  const ids = new Map<string, string>();
  for (const k of keys) if (!ids.has(k)) ids.set(k, randomUUID());

  const firstIndex = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!firstIndex.has(k)) firstIndex.set(k, i);
  });
  const rows: ReadingRow[] = [];
  for (const [key, i] of firstIndex) {
    const r = req.readings[i];
    if (!r) continue;
    for (const [name, value] of Object.entries(r.values)) {
      rows.push({
        readingKey: key,
        measure: KINDS[name as keyof typeof KINDS].code,
        patient: req.patient,
        device: req.device,
        observationId: ids.get(key) ?? '',
        effective: new Date(Date.parse(r.effective)),
        received: now,
        value,
        origin: req.origin,
      });
    }
  }

  const { created, existing, changes } = await db.transaction(async (tx) => {
    const repo = new ReadingRepository(tx);
    const claimed = await repo.claim(rows);
    const prepared = [...firstIndex]
      .filter(([key]) => claimed.has(key))
      .map(([key, i]) => {
        const reading = req.readings[i] as DeviceReading;
        const observation = toObservation(reading, { patient: req.patient, device: req.device, received: now, origin: req.origin }) as FhirResource;
        return store.prepareCreate(req.ctx, store.validate(observation), ids.get(key) ?? randomUUID(), now);
      });
    const stored = prepared.length > 0 ? await store.insertPrepared(prepared, tx) : [];
    const before = await repo.existing(keys.filter((k) => !claimed.has(k)));
    return {
      created: claimed,
      existing: before,
      changes: stored.map((v) => ({ resourceType: 'Observation', id: String(v.resource.id), versionId: v.versionId, method: 'POST' as const, compartments: v.compartments ?? [] })),
    };
  });
  for (const c of changes) store.publish(c);

  const seen = new Set<string>();
  return keys.map((k) => {
    const fresh = created.has(k) && !seen.has(k);
    seen.add(k);
    return { observationId: fresh ? (ids.get(k) ?? '') : (existing.get(k) ?? ids.get(k) ?? ''), created: fresh };
  });
}

/** The values of the readings this ingest stored (not replays), as the rules read them. */
export function storedValues(readings: readonly DeviceReading[], results: readonly IngestedReading[]): { measure: string; value: number; at: Date }[] {
  const out: { measure: string; value: number; at: Date }[] = [];
  readings.forEach((r, i) => {
    if (!results[i]?.created) return;
    for (const [name, value] of Object.entries(r.values)) out.push({ measure: KINDS[name as keyof typeof KINDS].code, value, at: new Date(Date.parse(r.effective)) });
  });
  return out;
}
