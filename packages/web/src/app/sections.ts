/**
 * The first path segments the web app owns. The server answers a browser's GET of any path under
 * these with index.html (SPA fallback) and never anything else, so API prefixes (/api, /auth, /fhir,
 * /oauth2, /ws, …) can never be shadowed. A route registered in the registry must live under one of
 * them (checked by registry.test.ts); the build writes this list to dist/spa-sections.json.
 */
export const APP_SECTIONS = [
  'signin',
  'signed-out',
  'mfa',
  'forgot-password',
  'reset-password',
  'verify-email',
  'invitation',
  'setup',
  'account',
  'portal',
  'console',
  'admin',
  // Video visits: the join page that guests (no account) open from their link.
  'visit',
] as const;

export type AppSection = (typeof APP_SECTIONS)[number];

/** Server-side paths the app must never claim (kept in step with packages/server/src/web-app/routes.ts). */
export const RESERVED_PREFIXES = ['api', 'auth', 'fhir', 'oauth2', 'ws', 'healthz', 'readyz', 'metrics', '.well-known', 'admin/local', 'assets', 'icons'] as const;
