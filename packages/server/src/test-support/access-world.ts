import type { LightMyRequestResponse } from 'fastify';
import { ORGANIZATION_TAG_SYSTEM, systemContext } from '../fhir/access/access-policy.js';
import { createTestApp, type TestApp } from './test-app.js';
import type { Membership, Principal, Role } from '../identity/principal.js';

/**
 * A small two-clinic world for access tests. Callers are chosen by the `x-test-user` header, which a
 * test hook turns into request.principal — exactly where the identity capability's authentication
 * puts it — so the default FHIR wiring (the real policy for request.principal) is what runs.
 * Switching to real bearer tokens means replacing `headers()` with `authorization: Bearer …`.
 *
 *   org-1: patients pa (CareTeam ct-pa: dr-1, nurse-1, spec-1; Encounter enc-pa in progress with
 *          tp-1) and pb (no care team); staff dr-1 nurse-1 spec-1 tp-1 fd-1 adm-1, Practitioner dr-x.
 *   org-2: patient pc (CareTeam ct-pc: dr-2), staff dr-2, Practitioner dr-y.
 */
export const MRN = 'urn:careline:mrn';
export const TEST_ID = 'urn:test:id';
export const FHIR = 'application/fhir+json';
export const VITALS = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] };

export type Actor = 'patient' | 'patientB' | 'caregiver' | 'clinician' | 'nurse' | 'specialist' | 'telepresenter' | 'front-desk' | 'admin' | 'clinician-org2';

const user = (id: string, fhirUser: string, ...memberships: [string, Role][]): Principal => ({
  kind: 'user', accountId: `00000000-0000-4000-8000-${id.padStart(12, '0')}`, email: `${id}@example.test`, fhirUser,
  memberships: memberships.map(([organizationId, role]): Membership => ({ organizationId, role })), sessionId: `s-${id}`, via: 'bearer',
});

export const PRINCIPALS: Record<Actor, Principal> = {
  patient: user('1', 'Patient/pa', ['org-1', 'patient']),
  patientB: user('2', 'Patient/pb', ['org-1', 'patient']),
  caregiver: user('3', 'RelatedPerson/rp-a', ['org-1', 'caregiver']),
  clinician: user('4', 'Practitioner/dr-1', ['org-1', 'clinician']),
  nurse: user('5', 'Practitioner/nurse-1', ['org-1', 'nurse']),
  specialist: user('6', 'Practitioner/spec-1', ['org-1', 'specialist']),
  telepresenter: user('7', 'Practitioner/tp-1', ['org-1', 'telepresenter']),
  'front-desk': user('8', 'Practitioner/fd-1', ['org-1', 'front-desk']),
  admin: user('9', 'Practitioner/adm-1', ['org-1', 'admin']),
  'clinician-org2': user('10', 'Practitioner/dr-2', ['org-2', 'clinician']),
};

export const tagged = (org: string, r: Record<string, unknown>): Record<string, unknown> => ({ ...r, meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: org }] } });
export const PATIENTS: Record<string, { org: string; family: string }> = { pa: { org: 'org-1', family: 'Alvarez' }, pb: { org: 'org-1', family: 'Berg' }, pc: { org: 'org-2', family: 'Chen' } };
export const patientResource = (id: string): Record<string, unknown> => {
  const p = PATIENTS[id] ?? { org: 'org-1', family: 'X' };
  return tagged(p.org, { resourceType: 'Patient', id, identifier: [{ system: MRN, value: id }], name: [{ family: p.family }], birthDate: '1970-01-01' });
};

const SEED = systemContext('test-seed');

export class AccessWorld {
  private constructor(readonly t: TestApp) {}

  static async create(env: Record<string, string> = {}): Promise<AccessWorld> {
    const t = await createTestApp(env, {
      extend: (app) => {
        app.addHook('onRequest', async (request) => {
          const who = request.headers['x-test-user'];
          if (typeof who === 'string' && who in PRINCIPALS) request.principal = PRINCIPALS[who as Actor];
        });
      },
    });
    const w = new AccessWorld(t);
    await w.seedWorld();
    return w;
  }

  async close(): Promise<void> {
    await this.t.close();
  }

  /** Writes with system access (no policy), as the seed of a test. */
  async put(r: Record<string, unknown>): Promise<void> {
    await this.t.app.fhir.update(SEED, String(r.resourceType), String(r.id), r);
  }

  async stored(type: string, id: string): Promise<Record<string, unknown> | undefined> {
    const { rows } = await this.t.tdb.db.query<{ content: string; deleted: boolean }>('SELECT content, deleted FROM fhir_resource WHERE resource_type = $1 AND id = $2', [type, id]);
    const row = rows[0];
    return row && !row.deleted ? (JSON.parse(row.content) as Record<string, unknown>) : undefined;
  }

  headers(actor: Actor | undefined): Record<string, string> {
    return actor ? { 'x-test-user': actor } : {};
  }

  async call(actor: Actor | undefined, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const contentType = method === 'PATCH' ? 'application/json-patch+json' : url.startsWith('/api/') ? 'application/json' : FHIR;
    return this.t.app.inject({
      method, url,
      headers: { ...this.headers(actor), ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  private async seedWorld(): Promise<void> {
    await this.put(tagged('org-1', { resourceType: 'Organization', id: 'org-1', name: 'Clinic One' }));
    await this.put(tagged('org-2', { resourceType: 'Organization', id: 'org-2', name: 'Clinic Two' }));
    for (const [id, org] of [['dr-1', 'org-1'], ['nurse-1', 'org-1'], ['spec-1', 'org-1'], ['tp-1', 'org-1'], ['fd-1', 'org-1'], ['adm-1', 'org-1'], ['dr-x', 'org-1'], ['dr-2', 'org-2'], ['dr-y', 'org-2'], ['privacy-1', 'org-1']] as const) {
      await this.put(tagged(org, { resourceType: 'Practitioner', id, name: [{ family: `Staff ${id}` }] }));
    }
    await this.put(tagged('org-1', {
      resourceType: 'PractitionerRole', id: 'role-privacy-1', practitioner: { reference: 'Practitioner/privacy-1' }, organization: { reference: 'Organization/org-1' },
      code: [{ coding: [{ system: 'urn:careline:practitioner-role', code: 'privacy-officer' }] }],
    }));
    for (const id of Object.keys(PATIENTS)) await this.put(patientResource(id));
    await this.put(tagged('org-1', { resourceType: 'RelatedPerson', id: 'rp-a', patient: { reference: 'Patient/pa' }, name: [{ family: 'Carer' }] }));
    const member = (ref: string): Record<string, unknown> => ({ member: { reference: ref } });
    await this.put(tagged('org-1', { resourceType: 'CareTeam', id: 'ct-pa', status: 'active', subject: { reference: 'Patient/pa' }, participant: ['Practitioner/dr-1', 'Practitioner/nurse-1', 'Practitioner/spec-1'].map(member) }));
    await this.put(tagged('org-2', { resourceType: 'CareTeam', id: 'ct-pc', status: 'active', subject: { reference: 'Patient/pc' }, participant: [member('Practitioner/dr-2')] }));
    await this.put(tagged('org-1', {
      resourceType: 'Encounter', id: 'enc-pa', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: 'Patient/pa' }, participant: [{ individual: { reference: 'Practitioner/tp-1' } }],
    }));
  }
}
