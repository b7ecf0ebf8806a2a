import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCareline } from '../lib/careline-server.js';
import { httpGet } from '../lib/http-probe.js';
import { median } from '../lib/stats.js';
import { measureAlertLatency, type LatencyResult } from './alert-latency.js';
import { expectJson } from './api.js';
import { runIngest, type CpuProbe, type IngestRequest, type IngestRun } from './ingest-load.js';
import { BP_STEP_MS, CGM_STEP_MS, nightscoutBatch, normalPressure, readingsBuilt, roundRobin, Slots, webhookBody } from './readings.js';
import type { Integrity, SqlQuery } from './verify.js';
import { checkIntegrity } from './verify.js';
import { buildWorld, type World } from './world.js';

export interface Plan {
  readonly patients: number;
  readonly cuffsPerPatient: number;
  readonly runs: number;
  readonly singleConnections: number;
  readonly singleDurationS: number;
  readonly batchSize: number;
  readonly batchConnections: number;
  readonly batchDurationS: number;
  readonly warmupS: number;
  /** Wanted alert-latency rate; lowered to what the single-reading runs sustained. */
  readonly latencyRate: number;
  readonly latencyDurationS: number;
  /** A second, light rate: the path's own latency without the queueing of a nearly full server. */
  readonly lightRate: number;
  /** Readings crossing the limit per second (one in rate/alertsPerS readings). */
  readonly alertsPerS: number;
  /** Arguments for the server's node (e.g. --cpu-prof). */
  readonly nodeArgs: readonly string[];
}

/** What differs between PostgreSQL and PGlite. */
export interface Backend {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cpu?: () => Promise<ReadonlyMap<number, number>>;
  /** SQL on the server's database once the server is stopped (PGlite: one process per folder). */
  withDatabase<T>(fn: (db: SqlQuery) => Promise<T>): Promise<T>;
}

export interface LoadFigures {
  readonly runs: readonly IngestRun[];
  /** Median over the runs of each run's acknowledged readings/s. */
  readonly readingsPerS: number;
}

export interface BackendResult {
  readonly world: Pick<World, 'patients' | 'cuffs' | 'cgms' | 'setupMs'>;
  readonly single: LoadFigures;
  readonly batch: LoadFigures;
  /** At the asked rate (or the highest this backend sustained), then at the light rate. */
  readonly latency: readonly { readonly result: LatencyResult; readonly rateNote: string }[];
  readonly integrity: Integrity;
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
}

/** Waits until /readyz answers within 100 ms: requests cut off at the end of a run may still be running. */
async function settle(base: string): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const t = performance.now();
    const res = await httpGet(`${base}readyz`, 60_000).catch(() => undefined);
    if (res?.status === 200 && performance.now() - t < 100) return;
    await sleep(200);
  }
}

function describe(r: IngestRun): string {
  const db = r.databaseCores === undefined ? '' : ` + PostgreSQL ${r.databaseCores.toFixed(2)}`;
  const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
  return `${Math.round(r.readingsPerS)} readings/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, ${codes}, ${r.errors} errors, CPU server ${r.serverCores.toFixed(2)}${db}`;
}

async function repeated(label: string, plan: Plan, durationS: number, once: (s: number) => Promise<IngestRun>, base: string): Promise<LoadFigures> {
  await once(plan.warmupS);
  await settle(base);
  const runs: IngestRun[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const r = await once(durationS);
    process.stdout.write(`    ${label}, run ${i + 1}: ${describe(r)}\n`);
    runs.push(r);
    await settle(base);
  }
  return { runs, readingsPerS: median(runs.map((r) => r.readingsPerS)) };
}

export async function runBackend(backend: Backend, plan: Plan): Promise<BackendResult> {
  const before = os.loadavg();
  const start = await startCareline({ CARELINE_JOBS: 'false', ...backend.env }, `careline (${backend.label})`, plan.nodeArgs);
  const base = start.url;
  process.stdout.write(`  ${backend.label}: ready in ${Math.round(start.readyMs)} ms; building the demo clinic…\n`);
  const world = await buildWorld(base, { patients: plan.patients, cuffsPerPatient: plan.cuffsPerPatient });
  process.stdout.write(`  ${backend.label}: ${world.patients.length} patients enrolled, ${world.cuffs.length} cuffs, ${world.cgms.length} CGM uploaders in ${(world.setupMs / 1000).toFixed(1)} s\n`);

  const bpSlots = new Slots(BP_STEP_MS);
  const cgmSlots = new Slots(CGM_STEP_MS);
  const acked = new Set<string>();
  const builtBefore = readingsBuilt();
  const cpu: CpuProbe = { serverPid: start.server.pid, ...(backend.cpu ? { databaseCpu: backend.cpu } : {}) };

  const nextCuff = roundRobin(world.cuffs);
  const webhook = (): IngestRequest => {
    const d = nextCuff();
    return { path: '/api/monitoring/webhook', headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' }, body: webhookBody(d, bpSlots, normalPressure()) };
  };
  const nextCgm = roundRobin(world.cgms);
  const batch = (): IngestRequest => {
    const d = nextCgm();
    return { path: '/api/v1/entries', headers: { 'api-secret': d.apiSecretSha1, 'content-type': 'application/json' }, body: nightscoutBatch(d, cgmSlots, plan.batchSize) };
  };
  // Each path once by hand first: the bench stops here if a request it is about to repeat fails.
  const probe = webhook();
  const first = await expectJson<{ readings: { observation: string; created: boolean }[] }>('POST', `${base}${probe.path.slice(1)}`, JSON.parse(probe.body), 201, probe.headers);
  if (first.readings[0]?.created !== true) throw new Error(`webhook probe: ${JSON.stringify(first)}`);
  acked.add(first.readings[0].observation.replace(/^Observation\//, ''));
  const nsProbe = batch();
  const stored = await expectJson<{ _id: string }[]>('POST', `${base}${nsProbe.path.slice(1)}`, JSON.parse(nsProbe.body), 200, nsProbe.headers);
  if (stored.length !== plan.batchSize) throw new Error(`Nightscout probe: ${stored.length} entries answered`);
  for (const e of stored) acked.add(e._id);

  process.stdout.write(`  ${backend.label}: webhook, one reading per request, ${plan.singleConnections} connections…\n`);
  const single = await repeated('webhook', plan, plan.singleDurationS, (s) => runIngest(base, plan.singleConnections, s, 1, webhook, /"observation":"Observation\/([^"]+)"/g, acked, cpu), base);
  process.stdout.write(`  ${backend.label}: Nightscout entries, batches of ${plan.batchSize}, ${plan.batchConnections} connections…\n`);
  const batches = await repeated('Nightscout', plan, plan.batchDurationS, (s) => runIngest(base, plan.batchConnections, s, plan.batchSize, batch, /"_id":"([^"]+)"/g, acked, cpu), base);

  // The fixed rate: as asked, unless the single-reading runs showed this machine cannot sustain it.
  const sustained = Math.floor((0.8 * single.readingsPerS) / 50) * 50;
  const rate = Math.max(50, Math.min(plan.latencyRate, sustained));
  const rateNote = rate === plan.latencyRate ? `${rate}/s as asked` : `${rate}/s, the highest sustained: 80% of the ${Math.round(single.readingsPerS)}/s of the webhook runs, rounded down to 50 (${plan.latencyRate}/s asked)`;
  const light = Math.min(plan.lightRate, Math.max(10, Math.floor(rate / 2)));
  const latency: { result: LatencyResult; rateNote: string }[] = [];
  for (const [r, note] of [[rate, rateNote], [light, `${light}/s (light load, for comparison)`]] as const) {
    process.stdout.write(`  ${backend.label}: POST → alert on the WebSocket at ${note}…\n`);
    const result = await measureAlertLatency(base, world, bpSlots, {
      ratePerS: r, durationS: plan.latencyDurationS, warmupS: plan.warmupS, crossingEvery: Math.max(2, Math.round(r / plan.alertsPerS)), maxInFlight: 64,
    }, acked);
    process.stdout.write(`    ${result.alertMs.length} alerts, achieved ${Math.round(result.achievedPerS)} readings/s, ${result.missingAlerts} missing, ${result.behind} behind schedule\n`);
    latency.push({ result, rateNote: note });
    await settle(base);
  }
  await settle(base);
  const sent = readingsBuilt() - builtBefore;
  await start.server.stop();
  const after = os.loadavg();
  const devices = [...world.cuffs, ...world.cgms].map((d) => d.ref);
  const integrity = await backend.withDatabase((db) => checkIntegrity(db, devices, acked, sent));
  process.stdout.write(`  ${backend.label}: ${JSON.stringify(integrity)}\n`);
  return { world, single, batch: batches, latency, integrity, load: { before, after } };
}
