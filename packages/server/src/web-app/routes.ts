import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../platform/platform.js';
import { CarelineError } from '../platform/errors/careline-error.js';
import { loadStaticFiles, staticFile, type StaticFile } from './static-files.js';

/**
 * Serves the web app (packages/web/dist, built by `npm run build`): its files, and index.html for the
 * client-side routes under the sections the app declares (dist/spa-sections.json). Nothing here can
 * shadow a server path: the sections never include these prefixes, and a file route is registered
 * only for a file that exists. Without a build, `/` answers a short page saying how to build it.
 */
export const RESERVED_PREFIXES = ['api', 'auth', 'fhir', 'oauth2', 'ws', 'healthz', 'readyz', 'metrics', '.well-known', 'admin/local'] as const;

const DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebAppOptions {
  /** Folder of the built app; default packages/web/dist. */
  readonly root?: string;
  /** Written into index.html so the app's idle sign-out matches the server's; default from the platform config. */
  readonly idleTimeoutSeconds?: number;
}

const NOT_BUILT = Buffer.from(
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Careline</title><main><h1>Careline is running</h1>' +
    '<p>The web app is not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.</p></main></html>',
);

export function isReserved(urlPath: string): boolean {
  const p = urlPath.replace(/^\/+/, '');
  return RESERVED_PREFIXES.some((r) => p === r || p.startsWith(`${r}/`));
}

function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  void reply.header('cache-control', file.cacheControl).header('etag', file.etag).header('vary', 'accept-encoding').type(file.type);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const gz = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '') ? file.gzipped() : undefined;
  if (gz) return reply.header('content-encoding', 'gzip').send(gz);
  return reply.send(file.body);
}

function readSections(root: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(`${root}/spa-sections.json`, 'utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is string => typeof s === 'string' && /^[a-z][a-z0-9-]*$/.test(s) && !isReserved(`/${s}`));
  } catch {
    return [];
  }
}

function withIdleTimeout(html: Buffer, seconds: number | undefined): Buffer {
  if (seconds === undefined) return html;
  return Buffer.from(
    html.toString('utf8').replace(/(<meta name="careline-session-idle-seconds" content=")\d+(")/, `$1${Math.floor(seconds)}$2`),
  );
}

function platformOf(app: FastifyInstance): Platform | undefined {
  return (app as FastifyInstance & { platform?: Platform }).platform;
}

export const webAppRoutes: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const root = options.root ?? DIST;
  const hide = { schema: { hide: true } };
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', hide, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT));
    return;
  }
  const files = loadStaticFiles(root);
  const idle = options.idleTimeoutSeconds ?? platformOf(app)?.config.session?.idleTimeoutSeconds;
  const index = staticFile('/', withIdleTimeout(files.get('/index.html')?.body ?? NOT_BUILT, idle), '.html');
  files.delete('/index.html');
  files.delete('/spa-sections.json');

  app.get('/', hide, async (request, reply) => send(request, reply, index));
  for (const file of files.values()) {
    if (isReserved(file.urlPath)) continue;
    app.get(file.urlPath, hide, async (request, reply) => send(request, reply, file));
  }
  const spa = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/';
    // e.g. /admin/local/… belongs to the server: answer as if this route did not exist.
    if (isReserved(url)) throw new CarelineError('not-found', [{ diagnostics: `No route ${request.method} ${url}.` }]);
    return send(request, reply, index);
  };
  for (const section of readSections(root)) {
    app.get(`/${section}`, hide, spa);
    app.get(`/${section}/*`, hide, spa);
  }
};
