import type { GeneratedRequest } from '../lib/load.js';
import { readRssMb } from '../lib/proc-status.js';
import type { BackendOps } from './backend-ops.js';
import { searchPath, type SearchPlan } from './explain.js';
import { countResources, expectStatus, FHIR_JSON, listIds } from './fhir-client.js';
import { pick, randomObservation, transactionBundle } from './resources.js';
import { createPatients, loadObservations, type Loaded, type LoadPlan } from './seed.js';
import { measure, openSession, type Measured, type Session } from './session.js';

export type { Measured } from './session.js';

export interface Plan {
  readonly patients: number;
  readonly durationS: number;
  readonly postConnections: readonly number[];
  readonly bundleSize: number;
  readonly bundleConnections: number;
  readonly bundleDurationS: number;
  readonly readConnections: number;
  readonly load: LoadPlan;
  readonly nodeArgs: readonly string[];
}

export interface BackendResult {
  readonly rssAtReadyMb: number;
  /** The server that did all the writes, after the read run. */
  readonly rssAfterMb: number;
  readonly post: ReadonlyMap<number, Measured>;
  readonly bundle: Measured;
  readonly seed: Loaded;
  readonly observationsAtSearch: number;
  readonly searchStartedAt: Date;
  /** With the planner statistics the store had (none unless autovacuum or someone ran ANALYZE). */
  readonly search: Measured;
  readonly read: Measured;
  /** After ANALYZE and a restart of the server. */
  readonly searchAnalyzed: Measured;
  readonly plan: SearchPlan;
  readonly planAnalyzed: SearchPlan;
}

const accept = { accept: 'application/fhir+json' };

async function measureSearch(s: Session, ops: BackendOps, plan: Plan, patientIds: readonly string[], what: string): Promise<Measured> {
  const next = (): GeneratedRequest => ({ method: 'GET', path: searchPath(pick(patientIds)), headers: accept });
  await expectStatus('GET', `${s.url}${next().path.slice(1)}`, undefined, 200);
  return measure(s, ops, what, plan.readConnections, plan.durationS, next);
}

async function measureWrites(s: Session, ops: BackendOps, plan: Plan, patientIds: readonly string[]): Promise<Pick<BackendResult, 'post' | 'bundle'>> {
  const fhirBase = `${s.url}fhir/R4`;
  const create = (): GeneratedRequest => ({ method: 'POST', path: '/fhir/R4/Observation', headers: FHIR_JSON, body: JSON.stringify(randomObservation(patientIds)) });
  await expectStatus('POST', `${fhirBase}/Observation`, create().body, 201);
  const post = new Map<number, Measured>();
  for (const n of plan.postConnections) post.set(n, await measure(s, ops, 'POST Observation', n, plan.durationS, create));

  const bundle = (): GeneratedRequest => ({
    method: 'POST',
    path: '/fhir/R4',
    headers: FHIR_JSON,
    body: transactionBundle(Array.from({ length: plan.bundleSize }, () => randomObservation(patientIds))),
  });
  await expectStatus('POST', fhirBase, bundle().body, 200);
  return { post, bundle: await measure(s, ops, `transaction of ${plan.bundleSize}`, plan.bundleConnections, plan.bundleDurationS, bundle) };
}

/**
 * Everything measured for one backend, in order: creates, Bundles, bulk load, search and read as
 * the store is, then ANALYZE (server stopped) and the search again on a restarted server.
 */
export async function runBackend(ops: BackendOps, plan: Plan): Promise<BackendResult> {
  let s = await openSession(ops, plan.nodeArgs);
  const fhirBase = `${s.url}fhir/R4`;
  const patientIds = await createPatients(fhirBase, plan.patients);
  const writes = await measureWrites(s, ops, plan, patientIds);

  const present = await countResources(fhirBase, 'Observation');
  const toLoad = Math.max(0, plan.load.count - present);
  process.stdout.write(`  ${ops.label}: ${present.toLocaleString('en-US')} Observations so far; loading ${toLoad.toLocaleString('en-US')} more…\n`);
  const seed = await loadObservations(fhirBase, patientIds, { ...plan.load, count: toLoad });
  const observationsAtSearch = await countResources(fhirBase, 'Observation');
  process.stdout.write(`  ${ops.label}: loaded ${seed.loaded.toLocaleString('en-US')} in ${(seed.ms / 1000).toFixed(1)} s; ${observationsAtSearch.toLocaleString('en-US')} in all\n`);

  const searchStartedAt = new Date();
  const search = await measureSearch(s, ops, plan, patientIds, 'search');
  const readIds = seed.sampleIds.length > 0 ? seed.sampleIds : await listIds(fhirBase, 'Observation', 1000);
  const readNext = (): GeneratedRequest => ({ method: 'GET', path: `/fhir/R4/Observation/${pick(readIds)}`, headers: accept });
  await expectStatus('GET', `${s.url}${readNext().path.slice(1)}`, undefined, 200);
  const read = await measure(s, ops, 'read by id', plan.readConnections, plan.durationS, readNext);
  const rssAfterMb = readRssMb(s.pid);
  const rssAtReadyMb = s.rssAtReadyMb;
  await s.stop();

  const searchPlan = await ops.explain(patientIds);
  await ops.analyze();
  s = await openSession(ops, plan.nodeArgs);
  const searchAnalyzed = await measureSearch(s, ops, plan, patientIds, 'search after ANALYZE');
  await s.stop();
  const planAnalyzed = await ops.explain(patientIds);
  return {
    rssAtReadyMb, rssAfterMb, ...writes, seed, observationsAtSearch, searchStartedAt, search, read, searchAnalyzed, plan: searchPlan, planAnalyzed,
  };
}
