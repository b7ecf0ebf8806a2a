import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CarelineApp } from '../app.js';
import { loadConfig, type CarelineConfig } from '../platform/config/config.js';
import { DataDirLock } from '../platform/db/data-dir-lock.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { CliOutput } from './command.js';

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export interface RunningServer {
  readonly app: CarelineApp;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Opens, migrates and listens. On the embedded database it first takes the data folder's lock
 * (PGlite admits one process) and publishes how the CLI can reach this server.
 */
export async function startServer(config: CarelineConfig, io: CliOutput): Promise<RunningServer> {
  const lock = config.database.kind === 'pglite' ? DataDirLock.acquire(config.dataDir, 'careline server') : undefined;
  try {
    if (config.database.kind === 'pglite' && !existsSync(config.database.dataDir)) {
      io.out(`Creating the embedded database in ${config.database.dataDir} (the first start takes a few seconds)…`);
    }
    const adminToken = randomBytes(32).toString('hex');
    // Start the database (PGlite compiles and boots its WebAssembly) while the rest of the server's
    // modules load: the two overlap, which is most of what an embedded start costs.
    const errors: { log?: (err: Error) => void } = {};
    const opening = openDatabase(config, (err) => errors.log?.(err));
    const [{ buildApp }, db] = await Promise.all([import('../app.js'), opening]);
    const app = await buildApp(config, { localAdminToken: adminToken, db, closeDatabase: true });
    errors.log = (err) => app.log.warn({ reason: err.message }, 'database connection error');
    const metricsApp = config.metrics.port !== undefined ? (await import('fastify')).default({ logger: false }) : undefined;
    if (metricsApp) {
      const { installMetricsRoute } = await import('../platform/http/metrics-route.js');
      installMetricsRoute(metricsApp, app.platform, 'dedicated');
      await metricsApp.listen({ host: config.host, port: config.metrics.port ?? 0 });
    }
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const scheme = config.tls ? 'https' : 'http';
    const url = config.publicUrl ?? `${scheme}://${displayHost(config.host)}:${port}/`;
    lock?.publishServer({ pid: process.pid, url: `${scheme}://${displayHost(config.host)}:${port}/`, adminToken });
    let stopping: Promise<void> | undefined;
    return {
      app,
      url,
      stop() {
        stopping ??= (async () => {
          try {
            await metricsApp?.close();
            await app.close();
          } finally {
            lock?.release();
          }
        })();
        return stopping;
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * `careline start`: runs until SIGTERM or SIGINT, then stops accepting, lets in-flight requests
 * finish (up to CARELINE_SHUTDOWN_TIMEOUT_MS), closes the database and exits.
 */
export async function runStart(io: CliOutput): Promise<number> {
  const config = loadConfig();
  // Listen for the stop signals before anything else. Without a listener Node dies on the spot, so a
  // stop that lands while the embedded database is being created, or just after "running" is printed,
  // would kill the process mid-write and leave the lock behind. `once`: the same signal again kills at once.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  let started = false;
  void stopSignal.then((signal) => {
    // Start-up is not cut short: a half-created database folder is worse than a few seconds' wait.
    if (!started) io.err(`careline start: ${signal} received; stopping as soon as start-up has finished (send it again to stop at once).`);
  });
  const server = await startServer(config, io);
  started = true;
  io.out(`Careline is running. Open ${server.url}`);
  io.out(config.database.kind === 'pglite' ? `Data: ${config.dataDir} (embedded PostgreSQL)` : 'Data: PostgreSQL (DATABASE_URL)');

  const signal = await stopSignal;
  server.app.log.info({ signal }, 'shutting down');
  const deadline = new AbortController();
  const outcome = await Promise.race([
    server.stop().then(
      () => 'stopped' as const,
      (err: unknown) => err as Error,
    ),
    sleep(config.shutdownTimeoutMs, 'timed-out' as const, { signal: deadline.signal }),
  ]);
  deadline.abort();
  if (outcome === 'stopped') return 0;
  if (outcome === 'timed-out') server.app.log.error('shutdown timed out; exiting');
  else server.app.log.error({ reason: outcome.message }, 'shutdown failed');
  return 1;
}
