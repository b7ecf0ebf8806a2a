import path from 'node:path';
import { waitForStatus } from './http-probe.js';
import { readCpuMs, readRssMb } from './proc-status.js';
import { REPO_ROOT } from './repo.js';
import { Spawned } from './spawned.js';

export interface CarelineStart {
  readonly server: Spawned;
  /** Base URL with a trailing slash, as printed by `careline start`. */
  readonly url: string;
  /** Spawn → "Careline is running" on stdout. */
  readonly listeningMs: number;
  /** Spawn → first /readyz 200: what an orchestrator would see. */
  readonly readyMs: number;
  /** VmRSS of the server process right after that first 200. */
  readonly rssMb: number;
  /** CPU time the server process had used by then (see readCpuMs). */
  readonly cpuMs: number;
}

const RUNNING_LINE = /Careline is running\. Open (https?:\/\/127\.0\.0\.1:\d+\/)/;
const START_TIMEOUT_MS = 120_000;

/**
 * Spawns the real CLI (`node packages/server/bin/careline.js start`), which is itself the server
 * process: no wrapper, so its pid is the one whose memory we read. nodeArgs go to node itself
 * (e.g. `--cpu-prof`).
 */
export async function startCareline(env: Readonly<Record<string, string>>, label: string, nodeArgs: readonly string[] = []): Promise<CarelineStart> {
  const started = performance.now();
  const server = Spawned.start({
    command: process.execPath,
    args: [...nodeArgs, path.join(REPO_ROOT, 'packages/server/bin/careline.js'), 'start'],
    cwd: REPO_ROOT,
    env: {
      ...withoutCarelineSettings(process.env),
      CARELINE_HOST: '127.0.0.1',
      CARELINE_PORT: '0',
      CARELINE_LOG_LEVEL: 'warn',
      CARELINE_RATE_LIMIT_MAX: '0',
      ...env,
    },
    label,
  });
  const match = await server.waitForLine(RUNNING_LINE, START_TIMEOUT_MS);
  const listeningMs = performance.now() - started;
  const url = match[1] ?? '';
  await waitForStatus(`${url}readyz`, 200, START_TIMEOUT_MS);
  const readyMs = performance.now() - started;
  const rssMb = readRssMb(server.pid);
  const cpuMs = readCpuMs(server.pid);
  return { server, url, listeningMs, readyMs, rssMb, cpuMs };
}

/** The bench decides every setting; a stray DATABASE_URL or CARELINE_* in the shell must not leak in. */
function withoutCarelineSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('CARELINE_') && k !== 'DATABASE_URL'));
}
