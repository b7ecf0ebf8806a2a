import { ORGANIZATION_TAG_SYSTEM, systemContext } from '../../fhir/access/access-policy.js';
import type { FhirStore } from '../../fhir/store/fhir-store.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { actorRef, hasRole, type Principal } from '../principal.js';
import type { CaregiverScope } from './access-facts.js';
import { AccessRepository, type CaregiverGrantRow } from './access-repository.js';

/**
 * Caregiver grants: a patient lets a caregiver (an account linked to a RelatedPerson) see their
 * record ('read') or also act for them ('read-write'); a clinic admin may do the same for a patient
 * of the clinic (minors). The patient, an admin of the clinic, or the caregiver may revoke it.
 * Grants are read on every request of the caregiver, so a revoked or expired grant stops at once.
 */
export interface GrantDeps {
  readonly db: Database;
  readonly store: FhirStore;
  readonly audit: AuditLog;
  now(): Date;
}

export interface GrantInput {
  readonly patient: string;
  readonly caregiver: string;
  readonly scope: CaregiverScope;
  readonly expiresAt?: string | undefined;
}

export interface GrantView {
  readonly id: string;
  readonly patient: string;
  readonly caregiver: string;
  readonly scope: CaregiverScope;
  readonly grantedBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly active: boolean;
}

export const PATIENT_REF = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;
export const CAREGIVER_REF = /^(RelatedPerson\/[A-Za-z0-9\-.]{1,64}|User\/[0-9a-f-]{36})$/;

const FHIR_CTX = systemContext('caregiver-grants');

export function viewOf(g: CaregiverGrantRow, now: Date): GrantView {
  return {
    id: g.id, patient: g.patient, caregiver: g.grantee, scope: g.scope, grantedBy: g.grantedBy,
    createdAt: g.createdAt.toISOString(), expiresAt: g.expiresAt?.toISOString() ?? null, revokedAt: g.revokedAt?.toISOString() ?? null,
    active: g.revokedAt === null && (g.expiresAt === null || g.expiresAt > now),
  };
}

/** The clinics whose data the patient's record belongs to (its organisation tags); [] when unknown. */
async function clinicsOf(store: FhirStore, patient: string): Promise<string[]> {
  try {
    const r = (await store.read(FHIR_CTX, 'Patient', patient.slice('Patient/'.length))).resource;
    const tags = (r.meta?.tag ?? []) as { system?: unknown; code?: unknown }[];
    return tags.filter((t) => t.system === ORGANIZATION_TAG_SYSTEM && typeof t.code === 'string').map((t) => String(t.code));
  } catch {
    return [];
  }
}

/** Who may manage this patient's grants: the patient, or an admin of one of the patient's clinics (that clinic is returned). */
async function managerOf(deps: GrantDeps, principal: Principal, patient: string): Promise<{ organizationId: string | null } | undefined> {
  if (principal.kind !== 'user') return undefined;
  if (principal.fhirUser === patient && hasRole(principal, 'patient')) return { organizationId: null };
  const clinics = await clinicsOf(deps.store, patient);
  const org = clinics.find((o) => hasRole(principal, 'admin', o));
  return org === undefined ? undefined : { organizationId: org };
}

const hidden = (): CarelineError => new CarelineError('not-found', [{ diagnostics: 'No such patient or grant within your reach.' }]);

export async function grantCaregiver(deps: GrantDeps, principal: Principal, input: GrantInput): Promise<GrantView> {
  if (!PATIENT_REF.test(input.patient)) throw new CarelineError('bad-request', [{ diagnostics: 'patient must be Patient/<id>.', expression: ['patient'] }]);
  if (!CAREGIVER_REF.test(input.caregiver)) {
    throw new CarelineError('bad-request', [{ diagnostics: 'caregiver must be RelatedPerson/<id> or User/<account id>.', expression: ['caregiver'] }]);
  }
  const now = deps.now();
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt !== null && !(expiresAt > now)) throw new CarelineError('bad-request', [{ diagnostics: 'expiresAt must be in the future.', expression: ['expiresAt'] }]);
  const manager = await managerOf(deps, principal, input.patient);
  if (!manager) throw hidden();
  return deps.db.transaction(async (tx) => {
    const row = await new AccessRepository(tx).insertGrant(
      { patient: input.patient, grantee: input.caregiver, scope: input.scope, grantedBy: actorRef(principal), organizationId: manager.organizationId, expiresAt },
      now,
    );
    await deps.audit.security(
      { type: 'policy-change', outcome: 'success', actor: actorRef(principal), target: input.caregiver, patients: [input.patient], detail: `caregiver-grant:${input.scope}`, ...(manager.organizationId ? { organizationId: manager.organizationId } : {}) },
      tx,
    );
    return viewOf(row, now);
  });
}

export async function revokeCaregiverGrant(deps: GrantDeps, principal: Principal, id: string): Promise<void> {
  const repo = new AccessRepository(deps.db);
  const grant = /^[0-9a-f-]{36}$/.test(id) ? await repo.grantById(id) : undefined;
  if (!grant || principal.kind !== 'user') throw hidden();
  const isCaregiver = grant.grantee === principal.fhirUser || grant.grantee === `User/${principal.accountId}`;
  if (!isCaregiver && !(await managerOf(deps, principal, grant.patient))) throw hidden();
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await new AccessRepository(tx).revokeGrant(id, actorRef(principal), now);
    await deps.audit.security({ type: 'policy-change', outcome: 'success', actor: actorRef(principal), target: grant.grantee, patients: [grant.patient], detail: 'caregiver-grant-revoked' }, tx);
  });
}

/** A patient's grants (to the patient or a clinic admin), or, without `patient`, the caller's own: as patient and as caregiver. */
export async function listCaregiverGrants(deps: GrantDeps, principal: Principal, patient: string | undefined): Promise<GrantView[]> {
  if (principal.kind !== 'user') return [];
  const repo = new AccessRepository(deps.db);
  const now = deps.now();
  if (patient !== undefined) {
    if (!PATIENT_REF.test(patient) || !(await managerOf(deps, principal, patient))) throw hidden();
    return (await repo.listGrants({ patient })).map((g) => viewOf(g, now));
  }
  const own = principal.fhirUser?.startsWith('Patient/') && hasRole(principal, 'patient') ? await repo.listGrants({ patient: principal.fhirUser }) : [];
  const asCaregiver = await repo.listGrants({ grantees: [...(principal.fhirUser ? [principal.fhirUser] : []), `User/${principal.accountId}`] });
  const seen = new Set<string>();
  return [...own, ...asCaregiver].filter((g) => !seen.has(g.id) && Boolean(seen.add(g.id))).map((g) => viewOf(g, now));
}
