/**
 * The one door's policy. Every read and write of the FHIR store asks it; the identity capability
 * supplies the real policy (roles, organisations, patient compartments). Here: the contract plus a
 * permissive policy (tests, system jobs) and a deny-all policy (proves nothing bypasses the door).
 */
export interface ResourceFacts {
  readonly resourceType: string;
  readonly id?: string;
  /** 'Patient/<id>' compartments the resource is (or will be) in. */
  readonly compartments: readonly string[];
}

/** Rows a search may return: all, none, or those in at least one of these compartments. */
export type SearchScope = { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'compartments'; readonly compartments: readonly string[] };

export interface AccessPolicy {
  readonly name: string;
  canRead(facts: ResourceFacts): boolean;
  canCreate(facts: ResourceFacts): boolean;
  canUpdate(before: ResourceFacts, after: ResourceFacts): boolean;
  canDelete(facts: ResourceFacts): boolean;
  searchScope(resourceType: string): SearchScope;
}

export interface AccessContext {
  /** Who acts, for audit and logs: 'system:<job>' or 'User/<id>' (no names). */
  readonly actor: string;
  readonly policy: AccessPolicy;
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

export function systemContext(job: string): AccessContext {
  return { actor: `system:${job}`, policy: permissivePolicy };
}
