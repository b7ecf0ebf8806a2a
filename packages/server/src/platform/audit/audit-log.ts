import type { Queryable } from '../db/database.js';

/**
 * The audit trail's contract (HIPAA §164.312(b); ONC §170.315(d)(2)). Every capability records
 * security events and health-data access through this one interface; the implementation writes
 * FHIR AuditEvents (IHE BALP vocabulary) to the append-only, hash-chained `audit_event` table.
 * Details never include PHI beyond references ('Patient/<id>'): no names, no values.
 */
export type SecurityEventType =
  | 'login'
  | 'logout'
  | 'mfa-change'
  | 'password-change'
  | 'password-reset'
  | 'email-verification'
  | 'role-change'
  | 'account-change'
  | 'invitation'
  | 'client-change'
  | 'break-the-glass'
  | 'policy-change'
  | 'audit-export';

export interface SecurityEvent {
  readonly type: SecurityEventType;
  readonly outcome: 'success' | 'failure';
  /** actorRef() of who acted ('User/<id>', 'Client/<id>', 'system:<job>'), or null when unknown (a failed login). */
  readonly actor: string | null;
  /** The account or object acted upon ('User/<id>', 'Client/<id>'), when not the actor. */
  readonly target?: string;
  /** Patients concerned (break-the-glass, caregiver grants): 'Patient/<id>'. */
  readonly patients?: readonly string[];
  readonly organizationId?: string;
  /** A short machine-readable reason ('bad-credentials', 'mfa-required', 'locked'); never free PHI. */
  readonly detail?: string;
  readonly sourceIp?: string;
  readonly requestId?: string;
}

export interface AuditLog {
  /**
   * Records one security event. Given `q` (a transaction), the row is written inside it, so it
   * commits or rolls back with the change it records; otherwise it is written on its own and the
   * promise resolves once it is durable.
   */
  security(event: SecurityEvent, q?: Queryable): Promise<void>;
}
