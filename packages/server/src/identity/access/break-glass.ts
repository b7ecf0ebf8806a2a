import { ORGANIZATION_TAG_SYSTEM, systemContext, type AccessContext } from '../../fhir/access/access-policy.js';
import type { FhirStore } from '../../fhir/store/fhir-store.js';
import type { FhirResource } from '../../fhir/store/resource-types.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { actorRef, type Principal, type Role } from '../principal.js';
import { AccessRepository } from './access-repository.js';

/**
 * Break-the-glass: a clinical staff member opens a patient of their clinic who is not on their
 * care team, stating why. The opening lasts `hours` (CARELINE_BREAK_GLASS_HOURS, default 4), is
 * recorded as a security event (audit: emergency access, with the patient, so it shows in the
 * patient's access log) and notifies the clinic's privacy officer with a FHIR Communication:
 * recipient = the Practitioner of each PractitionerRole of the clinic coded PRIVACY_OFFICER_ROLE,
 * or the Organization itself when it has none; category BREAK_GLASS_CATEGORY; no `subject`, so the
 * notice (which quotes the reason) stays out of the patient's compartment. Clinic admins read it.
 */
export const PRIVACY_OFFICER_ROLE = { system: 'urn:careline:practitioner-role', code: 'privacy-officer' } as const;
export const BREAK_GLASS_CATEGORY = { system: 'urn:careline:communication-category', code: 'break-the-glass', display: 'Emergency access (break the glass)' } as const;
/** HL7 v3 ActReason BTG (https://terminology.hl7.org/CodeSystem-v3-ActReason.html). */
const BTG = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG', display: 'break the glass' } as const;

export const BREAK_GLASS_ROLES: readonly Role[] = ['clinician', 'nurse', 'specialist'];
export const MIN_REASON_LENGTH = 10;

export interface BreakGlassDeps {
  readonly db: Database;
  readonly store: FhirStore;
  readonly audit: AuditLog;
  readonly hours: number;
  now(): Date;
}

export interface BreakGlassInput {
  readonly patient: string;
  readonly reason: string;
}

export interface BreakGlassResult {
  readonly id: string;
  readonly patient: string;
  readonly organizationId: string;
  readonly expiresAt: string;
  readonly notification: string;
}

const FHIR_CTX: AccessContext = systemContext('break-the-glass');

function organizationsOf(resource: FhirResource): string[] {
  const tags = (resource.meta as { tag?: { system?: unknown; code?: unknown }[] } | undefined)?.tag ?? [];
  return tags.filter((t) => t.system === ORGANIZATION_TAG_SYSTEM && typeof t.code === 'string').map((t) => String(t.code));
}

export async function breakGlass(deps: BreakGlassDeps, principal: Principal, input: BreakGlassInput, meta: { sourceIp?: string; requestId?: string } = {}): Promise<BreakGlassResult> {
  const reason = input.reason.trim();
  if (reason.length < MIN_REASON_LENGTH) {
    throw new CarelineError('bad-request', [{ diagnostics: `State the reason in at least ${MIN_REASON_LENGTH} characters.`, expression: ['reason'] }]);
  }
  const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(input.patient);
  const unknown = new CarelineError('not-found', [{ diagnostics: `${input.patient} is not a patient of your clinic.` }]);
  if (principal.kind !== 'user' || !m?.[1]) throw unknown;
  const patientId = m[1];
  let patientOrgs: string[];
  try {
    patientOrgs = organizationsOf((await deps.store.read(FHIR_CTX, 'Patient', patientId)).resource);
  } catch {
    throw unknown;
  }
  const membership = principal.memberships.find((x) => BREAK_GLASS_ROLES.includes(x.role) && patientOrgs.includes(x.organizationId));
  if (!membership) {
    await deps.audit.security({ type: 'break-the-glass', outcome: 'failure', actor: actorRef(principal), patients: [input.patient], detail: 'not-of-clinic', ...meta });
    throw unknown;
  }
  const organizationId = membership.organizationId;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.hours * 3_600_000);
  const published: { resourceType: string; id: string; compartments: readonly string[] }[] = [];
  const result = await deps.db.transaction(async (tx: Queryable) => {
    const repo = new AccessRepository(tx);
    const row = await repo.insertBreakGlass({ accountId: principal.accountId, organizationId, patient: input.patient, reason, expiresAt }, now);
    const officers = await repo.privacyOfficers(organizationId);
    const notice = deps.store.validate({
      resourceType: 'Communication',
      meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: organizationId }], security: [BTG] },
      status: 'completed',
      category: [{ coding: [BREAK_GLASS_CATEGORY] }],
      priority: 'urgent',
      about: [{ reference: input.patient }],
      ...(principal.fhirUser?.startsWith('Practitioner/') ? { sender: { reference: principal.fhirUser } } : {}),
      recipient: (officers.length > 0 ? officers : [`Organization/${organizationId}`]).map((reference) => ({ reference })),
      sent: now.toISOString(),
      payload: [{ contentString: `Emergency access to ${input.patient} by ${actorRef(principal)} until ${expiresAt.toISOString()}. Reason: ${reason}` }],
    });
    const created = await deps.store.createValidated(FHIR_CTX, notice, tx);
    published.push({ resourceType: 'Communication', id: String(created.resource.id), compartments: created.compartments ?? [] });
    await deps.audit.security(
      { type: 'break-the-glass', outcome: 'success', actor: actorRef(principal), patients: [input.patient], organizationId, detail: `until ${expiresAt.toISOString()}`, ...meta },
      tx,
    );
    return { id: row.id, patient: input.patient, organizationId, expiresAt: expiresAt.toISOString(), notification: `Communication/${String(created.resource.id)}` };
  });
  for (const p of published) deps.store.publish({ ...p, versionId: 1, method: 'POST' });
  return result;
}
