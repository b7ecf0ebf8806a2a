import type { Database } from '../platform/db/database.js';
import { processBundle, systemContext, type FhirStore } from '../fhir/index.js';
import { Prng } from './prng.js';
import { syntheticPatient, type DemoTeam } from './synthetic-patient.js';

export interface DemoPatientsOptions {
  readonly team: DemoTeam;
  readonly count: number;
  readonly seed?: number;
  readonly now?: Date;
}

export interface LoadedDemoPatient {
  /** 'Patient/<id>' as stored. */
  readonly reference: string;
  readonly displayName: string;
  readonly programs: readonly string[];
}

interface TransactionResponse {
  entry?: { response?: { location?: string } }[];
}

/**
 * Loads synthetic patients with their histories, one transaction per patient (each is under the
 * 1,000-entry Bundle limit and either lands whole or not at all). Written with system access: the
 * demo is an operator's act, and every resource already carries its clinic's tag.
 */
export async function loadDemoPatients(store: FhirStore, db: Database, options: DemoPatientsOptions): Promise<LoadedDemoPatient[]> {
  const rng = new Prng(options.seed ?? 20261123);
  const now = options.now ?? new Date();
  const ctx = systemContext('demo');
  const out: LoadedDemoPatient[] = [];
  for (let i = 0; i < options.count; i++) {
    const p = syntheticPatient(rng, i, options.team, now);
    const response = (await processBundle(store, db, ctx, p.bundle, '')) as TransactionResponse;
    const location = response.entry?.find((e) => e.response?.location?.startsWith('Patient/'))?.response?.location ?? '';
    out.push({ reference: location.split('/_history/')[0] ?? location, displayName: p.displayName, programs: p.programs });
  }
  return out;
}
