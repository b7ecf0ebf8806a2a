/**
 * What the policy needs to know about a caller beyond their principal, looked up per request
 * (identity/access/access-repository.ts) before the policy is built: the policy itself is pure and
 * synchronous, so the store can ask it for every row without touching the database.
 */
export type CaregiverScope = 'read' | 'read-write';
export const CAREGIVER_SCOPES: readonly CaregiverScope[] = ['read', 'read-write'];

export interface CaregiverGrantFact {
  /** 'Patient/<id>' */
  readonly patient: string;
  readonly scope: CaregiverScope;
}

export interface AccessFacts {
  /** Organisation id → patients ('Patient/<id>') on whose active CareTeam (of that clinic) the caller's Practitioner is. */
  readonly careTeamPatients: ReadonlyMap<string, readonly string[]>;
  /** Organisation id → patients opened by break-the-glass, not yet expired. */
  readonly emergencyPatients: ReadonlyMap<string, readonly string[]>;
  /** Organisation id → patients of in-progress Encounters (of that clinic) the caller participates in. */
  readonly activeVisitPatients: ReadonlyMap<string, readonly string[]>;
  /** Caregiver grants in force (not revoked, not expired). */
  readonly caregiverGrants: readonly CaregiverGrantFact[];
  /** For a patient: the members of their care teams ('Practitioner/…', 'PractitionerRole/…', 'Organization/…'). */
  readonly careTeamMembers: readonly string[];
}

export const NO_FACTS: AccessFacts = {
  careTeamPatients: new Map(),
  emergencyPatients: new Map(),
  activeVisitPatients: new Map(),
  caregiverGrants: [],
  careTeamMembers: [],
};
