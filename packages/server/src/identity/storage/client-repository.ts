import type { Queryable } from '../../platform/db/database.js';

export interface ClientRow {
  readonly id: string;
  readonly secret_hash: string;
  readonly scopes: string[];
  readonly organization_id: string | null;
  readonly disabled_at: Date | null;
}

export class ClientRepository {
  constructor(private readonly q: Queryable) {}

  async insert(c: { id: string; secretHash: string; scopes: readonly string[]; organizationId: string | null }): Promise<void> {
    await this.q.query('INSERT INTO auth_client (id, secret_hash, scopes, organization_id) VALUES ($1, $2, $3, $4)', [
      c.id,
      c.secretHash,
      [...c.scopes],
      c.organizationId,
    ]);
  }

  async byId(id: string): Promise<ClientRow | undefined> {
    const { rows } = await this.q.query<ClientRow>('SELECT id, secret_hash, scopes, organization_id, disabled_at FROM auth_client WHERE id = $1', [id]);
    return rows[0];
  }
}
