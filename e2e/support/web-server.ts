import path from 'node:path';
import { carelineEnv, makeTempDir, startCareline, type RunningCareline } from './careline-process.js';

/** A Careline server for one browser test: its own embedded database, a random 127.0.0.1 port. */
export async function startWebServer(extra: Record<string, string> = {}): Promise<RunningCareline & { readonly origin: string }> {
  const dataDir = path.join(makeTempDir('web'), 'data');
  const server = await startCareline(
    carelineEnv(dataDir, {
      CARELINE_HOST: '127.0.0.1',
      // Fast password hashing keeps journeys quick; the production cost is set in config.
      CARELINE_PASSWORD_HASH_MEMORY_KIB: '1024',
      CARELINE_PASSWORD_HASH_TIME_COST: '1',
      ...extra,
    }),
  );
  return { ...server, origin: server.url.replace(/\/+$/, '') };
}

export interface EndpointProbe {
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

/**
 * Which of these identity endpoints the running server lacks (answers 404 not-found as a route),
 * so a journey can skip with an exact reason until the identity capability provides them.
 */
export async function missingEndpoints(origin: string, probes: readonly EndpointProbe[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of probes) {
    const res = await fetch(`${origin}${p.path}`, {
      method: p.method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      // Malformed JSON: an existing route refuses it before its handler runs, so probing changes nothing.
      ...(p.method === 'POST' ? { body: '{' } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status === 404 && text.includes(`No route ${p.method}`)) missing.push(`${p.method} ${p.path}`);
  }
  return missing;
}
