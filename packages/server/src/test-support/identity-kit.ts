import { generate } from 'otplib';
import type { CarelineApp } from '../app.js';
import type { SecurityEvent } from '../platform/audit/audit-log.js';
import { createIdentityContext, type IdentityContext } from '../identity/identity-context.js';
import { createAccount, createOrganization } from '../identity/use-cases/create-account.js';
import type { Role } from '../identity/principal.js';
import { createMailer } from '../platform/mail/mailer.js';

/** An identity context on a test app's database (to create accounts without going through HTTP). */
export function identityOf(app: CarelineApp): IdentityContext {
  return createIdentityContext(app.platform, app.fhir, app.platform.audit, createMailer(app.platform.config, app.platform.log));
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly organizationId: string;
  /** Base32 TOTP secret when enrolled. */
  totpSecret?: string;
}

let counter = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

export async function addUser(app: CarelineApp, role: Role, options: { organizationId?: string; email?: string; password?: string } = {}): Promise<TestUser> {
  const ctx = identityOf(app);
  const organizationId = options.organizationId ?? (await createOrganization(ctx, 'Test Clinic'));
  const email = options.email ?? `user${++counter}-${Date.now()}@example.test`;
  const password = options.password ?? TEST_PASSWORD;
  const { id } = await createAccount(ctx, { email, password, role, organizationId, given: 'Test', family: 'User', emailVerified: true });
  return { id, email, password, organizationId };
}

/** A TOTP code for `secret` at `epochSeconds` (default now). */
export function totpCode(secret: string, epochSeconds?: number): Promise<string> {
  return generate({ secret, ...(epochSeconds !== undefined ? { epoch: epochSeconds } : {}) });
}

/** Enrols TOTP through the HTTP API with an enrolment token or access token; returns the recovery codes. */
export async function enrolTotp(app: CarelineApp, user: TestUser, bearer: string): Promise<string[]> {
  const setup = await app.inject({ method: 'POST', url: '/auth/mfa/totp/setup', headers: { authorization: `Bearer ${bearer}` } });
  if (setup.statusCode !== 200) throw new Error(`setup answered ${setup.statusCode}: ${setup.body}`);
  const { secret } = setup.json<{ secret: string }>();
  const confirm = await app.inject({
    method: 'POST',
    url: '/auth/mfa/totp/confirm',
    headers: { authorization: `Bearer ${bearer}` },
    payload: { otp: await totpCode(secret) },
  });
  if (confirm.statusCode !== 200) throw new Error(`confirm answered ${confirm.statusCode}: ${confirm.body}`);
  user.totpSecret = secret;
  return confirm.json<{ recoveryCodes: string[] }>().recoveryCodes;
}

/** Collects security events, for asserting what was audited. */
export class RecordingAudit {
  readonly events: SecurityEvent[] = [];
  security(event: SecurityEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
  access(): Promise<void> {
    return Promise.resolve();
  }
}

/** A new patient's access token (for tests of other capabilities that need any signed-in user). */
export async function signInPatient(app: CarelineApp): Promise<string> {
  const user = await addUser(app, 'patient');
  const r = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } });
  if (r.statusCode !== 200) throw new Error(`login answered ${r.statusCode}: ${r.body}`);
  return r.json<{ accessToken: string }>().accessToken;
}
