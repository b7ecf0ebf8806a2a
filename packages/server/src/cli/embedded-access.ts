import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CarelineConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { DataDirLock, readServerInfo, type ServerInfo } from '../platform/db/data-dir-lock.js';
import { openDatabase } from '../platform/db/open-database.js';

/**
 * How a CLI command reaches the database. PGlite admits one process per data folder, so when a
 * Careline server already holds it, the command goes through that server's loopback admin routes;
 * otherwise it takes the folder's lock itself. PostgreSQL needs neither.
 */
export type DatabaseAccess =
  | { readonly via: 'server'; readonly server: ServerInfo }
  | { readonly via: 'direct'; readonly db: Database; release(): Promise<void> };

export async function accessDatabase(config: CarelineConfig, purpose: string): Promise<DatabaseAccess> {
  if (config.database.kind === 'pglite') {
    const server = readServerInfo(config.dataDir);
    if (server) return { via: 'server', server };
    const lock = DataDirLock.acquire(config.dataDir, purpose);
    try {
      const db = await openDatabase(config);
      return {
        via: 'direct',
        db,
        async release() {
          await db.close();
          lock.release();
        },
      };
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const db = await openDatabase(config);
  return { via: 'direct', db, release: () => db.close() };
}

/** Calls the running server's loopback admin routes (its certificate, if any, is its own: not verified on loopback). */
export function callServer(server: ServerInfo, method: 'GET' | 'POST', path: string, json?: unknown): Promise<Buffer> {
  const url = new URL(`/admin/local${path}`, server.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: { authorization: `Bearer ${server.adminToken}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        timeout: 120_000,
        rejectUnauthorized: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if ((res.statusCode ?? 500) >= 400) {
            reject(new Error(`the running server (pid ${server.pid}) answered ${res.statusCode ?? '?'} to ${path}: ${body.toString('utf8').slice(0, 500)}`));
          } else resolve(body);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the running server (pid ${server.pid}) did not answer ${path} in time`)));
    req.on('error', reject);
    req.end(json !== undefined ? JSON.stringify(json) : undefined);
  });
}
