import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Serves the web app's entry page at `/`: the built app (packages/web/dist) when present, else the
 * placeholder in packages/web/public. Static assets of the real app arrive with the web-app issue.
 */
const WEB = new URL('../../../web/', import.meta.url);

function entryPage(): Buffer {
  for (const candidate of ['dist/index.html', 'public/index.html']) {
    const file = fileURLToPath(new URL(candidate, WEB));
    if (existsSync(file)) return readFileSync(file);
  }
  return Buffer.from('<!doctype html><title>Careline</title><p>Careline is running.</p>');
}

export const webAppRoutes: FastifyPluginAsync = async (app) => {
  const page = entryPage();
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );
};
