import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/database.js';
import type { CaregiverGrantFact, CaregiverScope } from './access-facts.js';

/**
 * The SQL of access control: care teams, active visits and care-team members read from the FHIR
 * search index (fhir_search, fhir_resource), caregiver grants and break-the-glass openings from
 * migration 0005's tables.
 */
export interface CaregiverGrantRow {
  readonly id: string;
  readonly patient: string;
  readonly grantee: string;
  readonly scope: CaregiverScope;
  readonly grantedBy: string;
  readonly organizationId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface BreakGlassRow {
  readonly id: string;
  readonly accountId: string;
  readonly organizationId: string;
  readonly patient: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

interface GrantDbRow {
  id: string;
  patient_ref: string;
  grantee: string;
  scope: CaregiverScope;
  granted_by: string;
  organization_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const toGrant = (r: GrantDbRow): CaregiverGrantRow => ({
  id: r.id, patient: r.patient_ref, grantee: r.grantee, scope: r.scope, grantedBy: r.granted_by, organizationId: r.organization_id,
  createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
});

/** CareTeam statuses that no longer give access (https://hl7.org/fhir/R4/valueset-care-team-status.html). */
const ENDED_CARE_TEAM = ['inactive', 'suspended', 'entered-in-error'];

function byOrganization(rows: readonly { org: string; patient: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const id = r.org.slice('Organization/'.length);
    const list = out.get(id) ?? [];
    if (!list.includes(r.patient)) list.push(r.patient);
    out.set(id, list);
  }
  return out;
}

export class AccessRepository {
  constructor(private readonly q: Queryable) {}

  /** Per organisation, the patients of live CareTeams (of that organisation) that `member` participates in. */
  async careTeamPatients(member: string): Promise<Map<string, string[]>> {
    const { rows } = await this.q.query<{ org: string; patient: string }>(
      `SELECT DISTINCT o.c AS org, subj.ref AS patient
       FROM fhir_search m
       JOIN fhir_resource ct ON ct.resource_type = 'CareTeam' AND ct.id = m.resource_id AND NOT ct.deleted
       JOIN fhir_search subj ON subj.resource_type = 'CareTeam' AND subj.resource_id = ct.id AND subj.param = 'subject' AND subj.ref LIKE 'Patient/%'
       CROSS JOIN LATERAL unnest(ct.compartments) AS o(c)
       WHERE m.resource_type = 'CareTeam' AND m.param = 'participant' AND m.ref = $1 AND o.c LIKE 'Organization/%'
         AND NOT EXISTS (SELECT 1 FROM fhir_search st WHERE st.resource_type = 'CareTeam' AND st.resource_id = ct.id AND st.param = 'status' AND st.code = ANY($2::text[]))`,
      [member, ENDED_CARE_TEAM],
    );
    return byOrganization(rows);
  }

  /** Per organisation, the patients of in-progress Encounters (of that organisation) in which `participant` takes part. */
  async activeVisitPatients(participant: string): Promise<Map<string, string[]>> {
    const { rows } = await this.q.query<{ org: string; patient: string }>(
      `SELECT DISTINCT o.c AS org, subj.ref AS patient
       FROM fhir_search m
       JOIN fhir_resource e ON e.resource_type = 'Encounter' AND e.id = m.resource_id AND NOT e.deleted
       JOIN fhir_search subj ON subj.resource_type = 'Encounter' AND subj.resource_id = e.id AND subj.param = 'subject' AND subj.ref LIKE 'Patient/%'
       CROSS JOIN LATERAL unnest(e.compartments) AS o(c)
       WHERE m.resource_type = 'Encounter' AND m.param = 'participant' AND m.ref = $1 AND o.c LIKE 'Organization/%'
         AND EXISTS (SELECT 1 FROM fhir_search st WHERE st.resource_type = 'Encounter' AND st.resource_id = e.id AND st.param = 'status' AND st.code = 'in-progress')`,
      [participant],
    );
    return byOrganization(rows);
  }

  /** Members of the live CareTeams about `patient` (and their managing organisations). */
  async careTeamMembers(patient: string): Promise<string[]> {
    const { rows } = await this.q.query<{ ref: string }>(
      `SELECT DISTINCT p.ref FROM fhir_search subj
       JOIN fhir_resource ct ON ct.resource_type = 'CareTeam' AND ct.id = subj.resource_id AND NOT ct.deleted
       JOIN fhir_search p ON p.resource_type = 'CareTeam' AND p.resource_id = ct.id AND p.param = 'participant' AND p.ref IS NOT NULL
       WHERE subj.resource_type = 'CareTeam' AND subj.param = 'subject' AND subj.ref = $1
         AND NOT EXISTS (SELECT 1 FROM fhir_search st WHERE st.resource_type = 'CareTeam' AND st.resource_id = ct.id AND st.param = 'status' AND st.code = ANY($2::text[]))`,
      [patient, ENDED_CARE_TEAM],
    );
    return rows.map((r) => r.ref).filter((r) => /^(Practitioner|PractitionerRole|Organization)\//.test(r));
  }

  /** Grants in force for a caregiver known by any of `grantees` ('RelatedPerson/<id>', 'User/<id>'). */
  async grantsInForce(grantees: readonly string[], now: Date): Promise<CaregiverGrantFact[]> {
    const { rows } = await this.q.query<{ patient_ref: string; scope: CaregiverScope }>(
      `SELECT patient_ref, scope FROM access_caregiver_grant
       WHERE grantee = ANY($1::text[]) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [grantees, now],
    );
    return rows.map((r) => ({ patient: r.patient_ref, scope: r.scope }));
  }

  async listGrants(filter: { patient?: string; grantees?: readonly string[] }): Promise<CaregiverGrantRow[]> {
    const { rows } = await this.q.query<GrantDbRow>(
      `SELECT * FROM access_caregiver_grant
       WHERE ($1::text IS NULL OR patient_ref = $1) AND ($2::text[] IS NULL OR grantee = ANY($2::text[]))
       ORDER BY created_at, id`,
      [filter.patient ?? null, filter.grantees ?? null],
    );
    return rows.map(toGrant);
  }

  async insertGrant(g: Omit<CaregiverGrantRow, 'id' | 'createdAt' | 'revokedAt'>, now: Date): Promise<CaregiverGrantRow> {
    const { rows } = await this.q.query<GrantDbRow>(
      `INSERT INTO access_caregiver_grant (id, patient_ref, grantee, scope, granted_by, organization_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [randomUUID(), g.patient, g.grantee, g.scope, g.grantedBy, g.organizationId, now, g.expiresAt],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return toGrant(row);
  }

  async grantById(id: string): Promise<CaregiverGrantRow | undefined> {
    const { rows } = await this.q.query<GrantDbRow>('SELECT * FROM access_caregiver_grant WHERE id = $1', [id]);
    return rows[0] ? toGrant(rows[0]) : undefined;
  }

  async revokeGrant(id: string, by: string, now: Date): Promise<void> {
    await this.q.query('UPDATE access_caregiver_grant SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL', [id, now, by]);
  }

  /** Per organisation, the patients this account opened by break-the-glass, not yet expired. */
  async emergencyPatients(accountId: string, now: Date): Promise<Map<string, string[]>> {
    const { rows } = await this.q.query<{ org: string; patient: string }>(
      `SELECT 'Organization/' || organization_id AS org, patient_ref AS patient FROM access_break_glass WHERE account_id = $1 AND expires_at > $2`,
      [accountId, now],
    );
    return byOrganization(rows);
  }

  /** Practitioners of the clinic's live PractitionerRoles coded `privacy-officer` (system urn:careline:practitioner-role). */
  async privacyOfficers(organizationId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ ref: string }>(
      `SELECT DISTINCT p.ref FROM fhir_search o
       JOIN fhir_resource pr ON pr.resource_type = 'PractitionerRole' AND pr.id = o.resource_id AND NOT pr.deleted
       JOIN fhir_search c ON c.resource_type = 'PractitionerRole' AND c.resource_id = pr.id AND c.param = 'role'
         AND c.system = 'urn:careline:practitioner-role' AND c.code = 'privacy-officer'
       JOIN fhir_search p ON p.resource_type = 'PractitionerRole' AND p.resource_id = pr.id AND p.param = 'practitioner' AND p.ref LIKE 'Practitioner/%'
       WHERE o.resource_type = 'PractitionerRole' AND o.param = 'organization' AND o.ref = $1
       ORDER BY p.ref`,
      [`Organization/${organizationId}`],
    );
    return rows.map((r) => r.ref);
  }

  async insertBreakGlass(b: { accountId: string; organizationId: string; patient: string; reason: string; expiresAt: Date }, now: Date): Promise<BreakGlassRow> {
    const id = randomUUID();
    await this.q.query(
      `INSERT INTO access_break_glass (id, account_id, organization_id, patient_ref, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, b.accountId, b.organizationId, b.patient, b.reason, now, b.expiresAt],
    );
    return { id, accountId: b.accountId, organizationId: b.organizationId, patient: b.patient, createdAt: now, expiresAt: b.expiresAt };
  }
}
