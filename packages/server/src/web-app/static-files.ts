import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The built web app (packages/web/dist) held in memory: it is small (about a megabyte), immutable
 * for the life of the process, and serving from memory keeps the first paint fast on slow disks.
 * Compressible files are gzipped once, on first request.
 */
export interface StaticFile {
  readonly urlPath: string;
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
  gzipped(): Buffer | undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map']);

/**
 * Hashed files under /assets/ never change: cache them for a year (RFC 8246 immutable). The entry
 * page and the service worker must be revalidated on every load so a deploy is seen at once.
 */
export function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (urlPath === '/' || urlPath.endsWith('.html') || urlPath === '/sw.js') return 'no-cache';
  return 'public, max-age=86400';
}

export function staticFile(urlPath: string, body: Buffer, ext: string): StaticFile {
  let gz: Buffer | undefined;
  const compressible = COMPRESSIBLE.has(ext) && body.length > 1024;
  return {
    urlPath,
    body,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
    cacheControl: cacheControlFor(urlPath),
    gzipped() {
      if (!compressible) return undefined;
      gz ??= gzipSync(body, { level: 9 });
      return gz;
    },
  };
}

/** Every file under root, keyed by URL path ('/assets/x.js'). */
export function loadStaticFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const urlPath = `/${path.relative(root, full).split(path.sep).join('/')}`;
        files.set(urlPath, staticFile(urlPath, readFileSync(full), path.extname(name).toLowerCase()));
      }
    }
  };
  walk(root);
  return files;
}
