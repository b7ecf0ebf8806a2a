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

export function createIdentityContext(platform: Platform, store: FhirStore, audit: AuditLog, mailer: Mailer, now: () => Date = () => new Date()): IdentityContext {
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
    publicUrl: () => (config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`).replace(/\/+$/, ''),
  };
}
