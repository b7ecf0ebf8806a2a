import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { BearerResolver, DevicePrincipal } from '../../identity/index.js';
import { DeviceCredentialRepository, type DeviceCredentialRow } from '../storage/device-credential-repository.js';

/** `cld_` + 43 base64url characters (32 random bytes): told apart from session tokens (`cl_`). */
export const DEVICE_TOKEN_PATTERN = /^cld_[A-Za-z0-9_-]{43}$/;
/** A Nightscout API secret: 24 characters from an unambiguous alphabet (uploaders need ≥ 12; typed by hand in xDrip+). */
const SECRET_ALPHABET = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
const SHA1_HEX = /^[0-9a-f]{40}$/;

export function newDeviceToken(): string {
  return `cld_${randomBytes(32).toString('base64url')}`;
}

export function newNightscoutSecret(): string {
  const bytes = randomBytes(24);
  return Array.from(bytes, (b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]).join('');
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');
/** Nightscout's `api-secret` header is the SHA-1 hex of the secret (cgm-remote-monitor lib/authorization). */
export const sha1Hex = (s: string): string => createHash('sha1').update(s).digest('hex');

function toPrincipal(row: DeviceCredentialRow): DevicePrincipal {
  return { kind: 'device', device: row.device, patient: row.patient, organizationId: row.organization_id, sessionId: row.id };
}

/** Resolves device credentials: bearer tokens (webhook, FHIR) and Nightscout secrets. */
export class DeviceCredentials implements BearerResolver {
  private readonly repo: DeviceCredentialRepository;

  constructor(db: Database) {
    this.repo = new DeviceCredentialRepository(db);
  }

  matches(raw: string): boolean {
    return raw.startsWith('cld_');
  }

  async resolve(raw: string): Promise<DevicePrincipal | undefined> {
    if (!DEVICE_TOKEN_PATTERN.test(raw)) return undefined;
    const row = await this.repo.byTokenHash(sha256Hex(raw));
    return row ? toPrincipal(row) : undefined;
  }

  /** A device the MQTT broker authenticated ('Device/<id>'): its live credential, none when unknown or revoked. */
  async resolveDevice(device: string): Promise<DevicePrincipal | undefined> {
    const row = await this.repo.byDevice(device);
    return row ? toPrincipal(row) : undefined;
  }

  /**
   * Nightscout uploaders authenticate with `api-secret: <sha1 hex of the secret>` or `?token=`
   * (here: the device's bearer token, or the secret itself). Only a device's own credential opens
   * anything: nothing is readable without one.
   */
  async resolveNightscout(apiSecretHeader: string | undefined, token: string | undefined): Promise<DevicePrincipal | undefined> {
    if (apiSecretHeader !== undefined) {
      const sha1 = apiSecretHeader.trim().toLowerCase();
      // Some uploaders send the plain secret rather than its hash.
      const row = await this.repo.byNightscoutSha1(SHA1_HEX.test(sha1) ? sha1 : sha1Hex(apiSecretHeader.trim()));
      return row ? toPrincipal(row) : undefined;
    }
    if (token !== undefined) {
      if (DEVICE_TOKEN_PATTERN.test(token)) return this.resolve(token);
      const row = await this.repo.byNightscoutSha1(sha1Hex(token));
      return row ? toPrincipal(row) : undefined;
    }
    return undefined;
  }
}
