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

/** Rows a search may return: all, none, or those in at least one of these compartments. */
export type SearchScope = { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'compartments'; readonly compartments: readonly string[] };

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
