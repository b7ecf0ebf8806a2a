import path from 'node:path';
import { startCareline } from '../lib/careline-server.js';
import { fetchBody } from '../lib/http-probe.js';
import { runLoad, type LoadOptions, type LoadResult } from '../lib/load.js';
import { readRssMb } from '../lib/proc-status.js';
import { REPO_ROOT } from '../lib/repo.js';
import { Spawned } from '../lib/spawned.js';

export interface StartSample {
  readonly readyMs: number;
  readonly listeningMs: number;
  readonly rssMb: number;
  readonly cpuMs: number;
}

/** Starts and stops Careline `runs` times, one after another; `envFor(i)` prepares each run. */
export async function measureStarts(
  label: string,
  runs: number,
  envFor: (run: number) => Promise<Record<string, string>>,
): Promise<StartSample[]> {
  const samples: StartSample[] = [];
  for (let run = 1; run <= runs; run++) {
    const env = await envFor(run);
    const start = await startCareline(env, `careline (${label}, run ${run})`);
    await start.server.stop();
    samples.push({ readyMs: start.readyMs, listeningMs: start.listeningMs, rssMb: start.rssMb, cpuMs: start.cpuMs });
    process.stdout.write(`  ${label} #${run}: ready in ${Math.round(start.readyMs)} ms (CPU ${Math.round(start.cpuMs)} ms), RSS ${Math.round(start.rssMb)} MB\n`);
  }
  return samples;
}

export interface HealthzLoad {
  readonly careline: LoadResult;
  readonly raw: LoadResult;
  readonly carelineRssAfterMb: number;
  readonly carelineRssBeforeMb: number;
}

const WARMUP: Pick<LoadOptions, 'durationS'> = { durationS: 2 };

/**
 * /healthz on the embedded server, then the same body from a bare node:http server, each after a
 * short warm-up so both are measured with a JIT-compiled hot path.
 */
export async function measureHealthzLoad(env: Record<string, string>, load: LoadOptions): Promise<HealthzLoad> {
  const start = await startCareline(env, 'careline (load)');
  const healthz = `${start.url}healthz`;
  const sample = await fetchBody(healthz);
  await runLoad(healthz, { ...load, ...WARMUP });
  const careline = await runLoad(healthz, load);
  const carelineRssAfterMb = readRssMb(start.server.pid);
  await start.server.stop();

  const raw = Spawned.start({
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'bench/startup/raw-server.ts')],
    cwd: REPO_ROOT,
    env: { ...process.env, RAW_BODY: sample.body, RAW_CONTENT_TYPE: sample.contentType },
    label: 'raw node:http server',
  });
  const match = await raw.waitForLine(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/, 30_000);
  const rawUrl = match[1] ?? '';
  await runLoad(rawUrl, { ...load, ...WARMUP });
  const rawResult = await runLoad(rawUrl, load);
  await raw.stop();
  return { careline, raw: rawResult, carelineRssAfterMb, carelineRssBeforeMb: start.rssMb };
}
