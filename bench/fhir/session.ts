import { setTimeout as sleep } from 'node:timers/promises';
import { startCareline } from '../lib/careline-server.js';
import { httpGet } from '../lib/http-probe.js';
import { runGeneratedLoad, type GeneratedRequest, type LoadResult } from '../lib/load.js';
import { readCpuMs } from '../lib/proc-status.js';
import type { BackendOps } from './backend-ops.js';

/** One running Careline server for a backend. */
export interface Session {
  readonly label: string;
  /** Base URL with a trailing slash. */
  readonly url: string;
  readonly pid: number;
  readonly rssAtReadyMb: number;
  stop(): Promise<void>;
}

/** One autocannon run and how busy the processes were meanwhile (CPU time / wall time, in cores). */
export interface Measured {
  readonly load: LoadResult;
  readonly serverCores: number;
  /** PostgreSQL backends serving this server; undefined for PGlite, which runs inside the server. */
  readonly databaseCores: number | undefined;
}

const WARMUP_S = 3;

export async function openSession(ops: BackendOps, nodeArgs: readonly string[]): Promise<Session> {
  const env = { CARELINE_INSECURE_OPEN_FHIR: 'true', CARELINE_JOBS: 'false', ...ops.env };
  const start = await startCareline(env, `careline (${ops.label})`, nodeArgs);
  process.stdout.write(`  ${ops.label}: ready in ${Math.round(start.readyMs)} ms\n`);
  return {
    label: ops.label,
    url: start.url,
    pid: start.server.pid,
    rssAtReadyMb: start.rssMb,
    stop: async () => {
      await start.server.stop();
    },
  };
}

const SETTLE_TIMEOUT_MS = 180_000;

/**
 * Waits until /readyz (one database round trip) answers within 100 ms: requests autocannon gave
 * up on may still be running (PGlite cannot cancel a statement), and must not weigh on the next run.
 */
async function settle(s: Session): Promise<void> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const t = performance.now();
    const res = await httpGet(`${s.url}readyz`, SETTLE_TIMEOUT_MS).catch(() => undefined);
    if (res?.status === 200 && performance.now() - t < 100) return;
    await sleep(200);
  }
  process.stdout.write(`  ${s.label}: still busy ${SETTLE_TIMEOUT_MS / 1000} s after the run; going on\n`);
}

function cpuSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

/** A warm-up of the same load, then the measured run, with the CPU the server (and its database) spent on it. */
export async function measure(s: Session, ops: BackendOps, what: string, connections: number, durationS: number, next: () => GeneratedRequest): Promise<Measured> {
  await runGeneratedLoad(s.url, { connections, durationS: WARMUP_S }, next);
  const cpu = readCpuMs(s.pid);
  const dbCpu = await ops.databaseCpu?.();
  const t = performance.now();
  const load = await runGeneratedLoad(s.url, { connections, durationS }, next);
  const wallMs = performance.now() - t;
  const serverCores = (readCpuMs(s.pid) - cpu) / wallMs;
  const dbCpuAfter = await ops.databaseCpu?.();
  const databaseCores = dbCpu && dbCpuAfter ? cpuSince(dbCpu, dbCpuAfter) / wallMs : undefined;
  await settle(s);
  const db = databaseCores === undefined ? '' : ` + PostgreSQL ${databaseCores.toFixed(2)}`;
  process.stdout.write(
    `  ${s.label}: ${what}, ${connections} conn: ${Math.round(load.reqPerSecMedian)} req/s (mean ${load.reqPerSecMean.toFixed(1)}), ` +
      `p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, ${load.errors} errors, ${load.non2xx} non-2xx, CPU: server ${serverCores.toFixed(2)}${db} cores\n`,
  );
  return { load, serverCores, databaseCores };
}
