import type { Queryable } from '../../platform/db/database.js';

export interface DeviceCredentialRow {
  readonly id: string;
  readonly device: string;
  readonly patient: string;
  readonly organization_id: string;
}

/** The only SQL over device credentials. */
export class DeviceCredentialRepository {
  constructor(private readonly q: Queryable) {}

  with(q: Queryable): DeviceCredentialRepository {
    return new DeviceCredentialRepository(q);
  }

  async insert(c: { id: string; device: string; patient: string; organizationId: string; tokenHash: string; nightscoutSha1: string; createdBy: string }): Promise<void> {
    await this.q.query(
      `INSERT INTO monitoring_device_credential (id, device, patient, organization_id, token_hash, nightscout_sha1, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.id, c.device, c.patient, c.organizationId, c.tokenHash, c.nightscoutSha1, c.createdBy],
    );
  }

  async byTokenHash(tokenHash: string): Promise<DeviceCredentialRow | undefined> {
    const r = await this.q.query<DeviceCredentialRow>(
      'SELECT id, device, patient, organization_id FROM monitoring_device_credential WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
    );
    return r.rows[0];
  }

  async byNightscoutSha1(sha1: string): Promise<DeviceCredentialRow | undefined> {
    const r = await this.q.query<DeviceCredentialRow>(
      'SELECT id, device, patient, organization_id FROM monitoring_device_credential WHERE nightscout_sha1 = $1 AND revoked_at IS NULL',
      [sha1],
    );
    return r.rows[0];
  }

  /** The live credential of a device ('Device/<id>'), e.g. for MQTT where the broker authenticated it. */
  async byDevice(device: string): Promise<DeviceCredentialRow | undefined> {
    const r = await this.q.query<DeviceCredentialRow>(
      'SELECT id, device, patient, organization_id FROM monitoring_device_credential WHERE device = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
      [device],
    );
    return r.rows[0];
  }

  /** Revokes every live credential of a device; returns how many. */
  async revokeDevice(device: string): Promise<number> {
    const r = await this.q.query('UPDATE monitoring_device_credential SET revoked_at = now() WHERE device = $1 AND revoked_at IS NULL', [device]);
    return r.rowCount;
  }
}
