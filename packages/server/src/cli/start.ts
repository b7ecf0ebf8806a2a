import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify from 'fastify';
import { buildApp, type CarelineApp } from '../app.js';
import { loadConfig, type CarelineConfig } from '../platform/config/config.js';
import { DataDirLock } from '../platform/db/data-dir-lock.js';
import { installMetricsRoute } from '../platform/http/metrics-route.js';
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
    const app = await buildApp(config, { localAdminToken: adminToken });
    const metricsApp = config.metrics.port !== undefined ? Fastify({ logger: false }) : undefined;
    if (metricsApp) {
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
  const server = await startServer(config, io);
  io.out(`Careline is running. Open ${server.url}`);
  io.out(config.database.kind === 'pglite' ? `Data: ${config.dataDir} (embedded PostgreSQL)` : 'Data: PostgreSQL (DATABASE_URL)');
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      server.app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        server.app.log.error('shutdown timed out; exiting');
        resolve(1);
      }, config.shutdownTimeoutMs);
      force.unref();
      server.stop().then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        (err: unknown) => {
          server.app.log.error({ reason: (err as Error).message }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
