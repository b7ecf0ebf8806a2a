import type { AddressInfo } from 'node:net';
import type { FhirStore } from '../fhir/index.js';
import type { AuditLog } from '../platform/audit/audit-log.js';
import type { Mailer } from '../platform/mail/mailer.js';
import type { Platform } from '../platform/platform.js';
import { PasswordHasher } from './credentials/password-hasher.js';
import { AccountRepository } from './storage/account-repository.js';
import { ClientRepository } from './storage/client-repository.js';
import { MailTokenRepository } from './storage/mail-token-repository.js';
import { SessionRepository } from './storage/session-repository.js';

/** Everything the identity use cases need, built once per app and passed explicitly. */
export interface IdentityContext {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly audit: AuditLog;
  readonly mailer: Mailer;
  readonly hasher: PasswordHasher;
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly mailTokens: MailTokenRepository;
  readonly clients: ClientRepository;
  /** The clock (tests may move it). */
  now(): Date;
  /** Base of links in mails: CARELINE_PUBLIC_URL, else the listening address. */
  publicUrl(): string;
}

/**
 * `listening`: the bound address once the server listens, so links name the real port when
 * CARELINE_PORT is 0 (tests, or an operator letting the OS choose) and no public URL is configured.
 */
export function createIdentityContext(
  platform: Platform,
  store: FhirStore,
  audit: AuditLog,
  mailer: Mailer,
  now: () => Date = () => new Date(),
  listening: () => AddressInfo | string | null = () => null,
): IdentityContext {
  const { config } = platform;
  return {
    platform,
    store,
    audit,
    mailer,
    hasher: new PasswordHasher(config),
    accounts: new AccountRepository(platform.db),
    sessions: new SessionRepository(platform.db),
    mailTokens: new MailTokenRepository(platform.db),
    clients: new ClientRepository(platform.db),
    now,
    publicUrl: () => {
      if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
      const bound = listening();
      const port = bound !== null && typeof bound === 'object' ? bound.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `${config.tls ? 'https' : 'http'}://${host}:${String(port)}`;
    },
  };
}
