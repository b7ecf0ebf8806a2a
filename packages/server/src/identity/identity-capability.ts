import type { FastifyInstance } from 'fastify';
import type { FhirStore } from '../fhir/index.js';
import type { AuditLog } from '../platform/audit/audit-log.js';
import { createMailer, type Mailer } from '../platform/mail/mailer.js';
import type { Platform } from '../platform/platform.js';
import { adminRoutes } from './http/admin-routes.js';
import { authRoutes } from './http/auth-routes.js';
import { mailLinkRoutes } from './http/mail-link-routes.js';
import { localIdentityRoutes } from './http/local-admin-identity-routes.js';
import { oauthRoutes } from './http/oauth-routes.js';
import { createIdentityContext, type IdentityContext } from './identity-context.js';
import { definePurgeJob } from './jobs/purge-identity-rows.js';

export interface IdentityCapabilityOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  /** Defaults to platform.audit; tests may pass a recorder. */
  readonly audit?: AuditLog;
  /** Defaults to SMTP from configuration. */
  readonly mailer?: Mailer;
  /** Token of the loopback routes the CLI uses (see operations/local-admin-routes.ts). */
  readonly localAdminToken?: string | undefined;
  /** Receives the context (the CLI's local-admin routes and tests use it). */
  readonly onContext?: (ctx: IdentityContext) => void;
}

/**
 * The identity capability's routes. Authentication itself (the hook that sets request.principal on
 * every route) is installed on the root by app.ts through Authenticator, before any route.
 */
export async function identityCapability(app: FastifyInstance, options: IdentityCapabilityOptions): Promise<void> {
  const { platform } = options;
  const mailer = options.mailer ?? createMailer(platform.config, platform.log);
  const identity = createIdentityContext(platform, options.store, options.audit ?? platform.audit, mailer, undefined, () => app.server.address());
  options.onContext?.(identity);
  definePurgeJob(identity);
  app.addHook('onClose', async () => mailer.close());
  await app.register(authRoutes, { identity, prefix: '/auth' });
  await app.register(mailLinkRoutes, { identity, prefix: '/auth' });
  await app.register(adminRoutes, { identity, prefix: '/api' });
  await app.register(oauthRoutes, { identity, prefix: '/oauth2' });
  await app.register(localIdentityRoutes, { identity, token: options.localAdminToken, prefix: '/admin/local/identity' });
}
