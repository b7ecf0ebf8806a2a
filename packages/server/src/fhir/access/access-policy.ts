import type { AuditAgent } from '../../platform/audit/audit-log.js';

/**
 * The one door's policy. Every read and write of the FHIR store asks it; the identity capability
 * supplies the real policy (roles, organisations, patient compartments). Here: the contract plus a
 * permissive policy (tests, system jobs) and a deny-all policy (proves nothing bypasses the door).
 */
export interface ResourceFacts {
  readonly resourceType: string;
  readonly id?: string;
  /**
   * 'Patient/<id>' compartments the resource is (or will be) in, plus 'Organization/<id>' for the
   * organisation that owns it (from its meta.tag with ORGANIZATION_TAG_SYSTEM).
   */
  readonly compartments: readonly string[];
  /** The resource as it will be stored, on create and update (policies check subject and author). */
  readonly resource?: Readonly<Record<string, unknown>>;
}

/**
 * The meta.tag system that records which organisation (clinic) owns a resource. The tag's code is
 * the Organization id. Server-owned: the policy's prepareWrite sets it, whatever the client sent.
 */
export const ORGANIZATION_TAG_SYSTEM = 'urn:careline:organization';

/**
 * One way a row can be visible: every condition given must hold (a conjunction). Absent conditions
 * do not constrain. The SQL (fhir/storage/search-sql.ts, scopeSql) and matchesScope below evaluate
 * exactly the same conditions, so a search can never return what a read would hide.
 */
export interface ScopeRule {
  /** The row's resource type is one of these; absent: any type. */
  readonly types?: readonly string[];
  /** The row is in at least one of these compartments ('Patient/<id>', 'Organization/<id>'). */
  readonly anyOf?: readonly string[];
  /** The row is in every one of these compartments (e.g. its owning 'Organization/<id>'). */
  readonly allOf?: readonly string[];
  /** The row is in no 'Patient/…' compartment: clinic-wide, non-patient data. */
  readonly noPatient?: boolean;
  /** The row is one of these resources ('Type/id'). */
  readonly refs?: readonly string[];
}

/**
 * Rows a search may return: all, none, those in at least one of these compartments, or those
 * matching at least one rule (a disjunction of ScopeRules).
 */
export type SearchScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'compartments'; readonly compartments: readonly string[] }
  | { readonly kind: 'rules'; readonly rules: readonly ScopeRule[] };

/** Whether a rule admits a row (the in-memory twin of scopeSql). */
export function matchesRule(rule: ScopeRule, facts: Pick<ResourceFacts, 'resourceType' | 'id' | 'compartments'>): boolean {
  if (rule.types && !rule.types.includes(facts.resourceType)) return false;
  if (rule.anyOf && !rule.anyOf.some((c) => facts.compartments.includes(c))) return false;
  if (rule.allOf && !rule.allOf.every((c) => facts.compartments.includes(c))) return false;
  if (rule.noPatient && facts.compartments.some((c) => c.startsWith('Patient/'))) return false;
  if (rule.refs && (facts.id === undefined || !rule.refs.includes(`${facts.resourceType}/${facts.id}`))) return false;
  return true;
}

/** Whether a scope admits a row (the in-memory twin of scopeSql). */
export function matchesScope(scope: SearchScope, facts: Pick<ResourceFacts, 'resourceType' | 'id' | 'compartments'>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'compartments':
      return scope.compartments.some((c) => facts.compartments.includes(c));
    case 'rules':
      return scope.rules.some((r) => matchesRule(r, facts));
  }
}

export interface AccessPolicy {
  readonly name: string;
  canRead(facts: ResourceFacts): boolean;
  canCreate(facts: ResourceFacts): boolean;
  canUpdate(before: ResourceFacts, after: ResourceFacts): boolean;
  canDelete(facts: ResourceFacts): boolean;
  searchScope(resourceType: string): SearchScope;
  /**
   * Sets the server-owned fields of a resource about to be written (meta.security, the organisation
   * tag, the author of self-authored data), whatever the client sent. `before` is the stored
   * current version on update. Runs before indexing, so facts and index reflect what is stored.
   */
  prepareWrite?(resource: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | undefined): Record<string, unknown>;
}

export interface AccessContext {
  /** Who acts, for audit and logs: 'system:<job>' or 'User/<id>' (no names). */
  readonly actor: string;
  readonly policy: AccessPolicy;
  /**
   * How the store records this caller's accesses (one AuditEvent each, see platform/audit). Absent:
   * recorded with `actor` as the agent. `false`: an internal job whose reads are not recorded; its
   * writes always are.
   */
  readonly audit?: AuditAgent | false;
}

export const permissivePolicy: AccessPolicy = {
  name: 'permissive',
  canRead: () => true,
  canCreate: () => true,
  canUpdate: () => true,
  canDelete: () => true,
  searchScope: () => ({ kind: 'all' }),
};

export const denyAllPolicy: AccessPolicy = {
  name: 'deny-all',
  canRead: () => false,
  canCreate: () => false,
  canUpdate: () => false,
  canDelete: () => false,
  searchScope: () => ({ kind: 'none' }),
};

/** The agent an access is recorded under: the context's audit agent, else its bare actor. */
export function auditAgent(ctx: AccessContext): AuditAgent {
  return ctx.audit === undefined || ctx.audit === false ? { agent: ctx.actor } : ctx.audit;
}

export function systemContext(job: string): AccessContext {
  return { actor: `system:${job}`, policy: permissivePolicy, audit: false };
}

/**
 * The server acting for a caller after its own explicit check, where the one policy has no rule yet
 * (e.g. a patient booking their own Appointment): permissive, but every access is audited as the
 * caller, never hidden as a system job. Use only right after the check that justifies it.
 */
export function onBehalfOf(caller: AccessContext): AccessContext {
  return { actor: caller.actor, policy: permissivePolicy, audit: caller.audit === false ? undefined : caller.audit };
}
