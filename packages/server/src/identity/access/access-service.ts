import type { FastifyRequest } from 'fastify';
import { denyAllPolicy, permissivePolicy, type AccessContext, type AccessPolicy } from '../../fhir/access/access-policy.js';
import type { FhirStore } from '../../fhir/store/fhir-store.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { actorRef, hasRole, type Principal, type Role } from '../principal.js';
import { NO_FACTS, type AccessFacts } from './access-facts.js';
import { AccessRepository } from './access-repository.js';
import { CarelinePolicy } from './careline-policy.js';

/** How long care-team membership is reused between requests (it changes rarely; grants and break-the-glass are never cached). */
export const CARE_TEAM_CACHE_MS = 5_000;

const CLINICAL: readonly Role[] = ['clinician', 'nurse', 'specialist'];

interface Cached<T> {
  readonly value: T;
  readonly until: number;
}

/**
 * Builds the caller's AccessContext per request: looks up what the policy needs (care teams,
 * grants, break-the-glass openings, active visits) and hands the pure CarelinePolicy to the FHIR
 * store. Anonymous callers get deny-all (or, for development only, CARELINE_INSECURE_OPEN_FHIR).
 */
export class AccessService {
  private readonly careTeams = new Map<string, Cached<Map<string, string[]>>>();
  private readonly members = new Map<string, Cached<string[]>>();

  constructor(
    private readonly db: Database,
    private readonly store: FhirStore,
    private readonly options: { readonly insecureOpen: boolean; readonly now?: () => Date },
  ) {
    // Care-team changes made on this instance take effect at once; other instances within CARE_TEAM_CACHE_MS.
    store.onCommitted((change) => {
      if (change.resourceType === 'CareTeam') this.forgetCareTeams();
    });
  }

  forgetCareTeams(): void {
    this.careTeams.clear();
    this.members.clear();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The FHIR access context of a request's caller (request.principal, set by authentication). */
  async contextFor(principal: Principal | undefined, request?: FastifyRequest): Promise<AccessContext> {
    if (!principal) return { actor: 'anonymous', policy: this.options.insecureOpen ? permissivePolicy : denyAllPolicy };
    const policy = await this.policyFor(principal);
    const actor = actorRef(principal);
    const organizationId =
      principal.kind === 'client' ? (principal.organizationId ?? undefined) : principal.kind === 'device' ? principal.organizationId : principal.memberships[0]?.organizationId;
    // The roles the caller holds, shown in a patient's access log ("clinician", "caregiver"…).
    const role = principal.kind === 'client' ? 'system-client' : principal.kind === 'device' ? 'device' : [...new Set(principal.memberships.map((m) => m.role))].join(',');
    return { actor, policy, audit: { agent: actor, sourceIp: request?.ip, requestId: request?.id, organizationId, role } };
  }

  async policyFor(principal: Principal): Promise<AccessPolicy> {
    return new CarelinePolicy(principal, await this.factsFor(principal));
  }

  /** Only what the principal's roles need is looked up. */
  async factsFor(principal: Principal): Promise<AccessFacts> {
    if (principal.kind !== 'user') return NO_FACTS;
    const repo = new AccessRepository(this.db);
    const now = this.now();
    const self = principal.fhirUser;
    const practitioner = self?.startsWith('Practitioner/') ? self : undefined;
    const clinical = CLINICAL.some((r) => hasRole(principal, r));
    const [careTeamPatients, emergencyPatients, activeVisitPatients, caregiverGrants, careTeamMembers] = await Promise.all([
      clinical && practitioner ? this.cached(this.careTeams, practitioner, () => repo.careTeamPatients(practitioner)) : new Map<string, string[]>(),
      clinical ? repo.emergencyPatients(principal.accountId, now) : new Map<string, string[]>(),
      hasRole(principal, 'telepresenter') && practitioner ? repo.activeVisitPatients(practitioner) : new Map<string, string[]>(),
      hasRole(principal, 'caregiver') ? repo.grantsInForce([...(self ? [self] : []), `User/${principal.accountId}`], now) : [],
      hasRole(principal, 'patient') && self?.startsWith('Patient/') ? this.cached(this.members, self, () => repo.careTeamMembers(self)) : [],
    ]);
    return { careTeamPatients, emergencyPatients, activeVisitPatients, caregiverGrants, careTeamMembers };
  }

  private async cached<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    const t = Date.now();
    if (hit && hit.until > t) return hit.value;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, until: t + CARE_TEAM_CACHE_MS });
    return value;
  }

  /** The practitioners on a patient's active care teams (whom monitoring alerts go to). */
  async careTeamOf(patient: string): Promise<string[]> {
    return (await new AccessRepository(this.db).careTeamMembers(patient)).filter((r) => r.startsWith('Practitioner/'));
  }

  /** Whether the principal may read this patient's record (for non-FHIR routes: visits, messaging…). */
  async canAccessPatient(principal: Principal | undefined, patientRef: string): Promise<boolean> {
    const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(patientRef);
    if (!principal || !m?.[1]) return false;
    try {
      await this.store.read({ actor: actorRef(principal), policy: await this.policyFor(principal), audit: false }, 'Patient', m[1]);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * For non-FHIR routes: the caller, who must hold `role` (in `organizationId`, when given).
 * Anonymous → 401; otherwise a caller without the role learns nothing: 404, as for what is not there.
 */
export function requireRole(request: FastifyRequest, role: Role | readonly Role[], organizationId?: string): Principal {
  const p = request.principal;
  if (!p) throw new CarelineError('unauthorized');
  const roles: readonly Role[] = typeof role === 'string' ? [role] : role;
  if (!roles.some((r) => hasRole(p, r, organizationId))) throw new CarelineError('not-found', [{ diagnostics: 'Nothing is here.' }]);
  return p;
}

/** The caller, who must be signed in (401 otherwise). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new CarelineError('unauthorized');
  return request.principal;
}
