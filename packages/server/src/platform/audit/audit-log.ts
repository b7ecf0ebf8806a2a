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

/** FHIR RESTful interactions (http://hl7.org/fhir/restful-interaction) plus the operations Careline audits. */
export type DataInteraction =
  | 'read'
  | 'vread'
  | 'search-type'
  | 'history-instance'
  | 'history-type'
  | 'history-system'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'everything'
  | 'export'
  | 'download';

/** Who acts, as an AccessContext carries it (identity fills it per request). */
export interface AuditAgent {
  /** actorRef(): 'User/<id>', 'Client/<id>' or 'system:<job>'. */
  readonly agent: string;
  readonly sourceIp?: string | undefined;
  readonly requestId?: string | undefined;
  readonly organizationId?: string | undefined;
  /** The role the agent acted in ('clinician', 'patient', …): shown in a patient's access log. */
  readonly role?: string | undefined;
}

/** One access to health data (a read, search, write, export or download). */
export interface DataAccessEvent {
  readonly interaction: DataInteraction;
  readonly outcome: 'success' | 'failure';
  readonly who: AuditAgent;
  /** 'Patient/<id>' of the patients whose data was touched (or, on failure, would have been). */
  readonly patients: readonly string[];
  /** The resource acted on ('Observation/<id>', 'Observation/<id>/_history/2'), or the searched type ('Observation'). */
  readonly entity?: string | undefined;
  /** Short machine-readable reason on failure ('denied', 'not-found', 'gone'); never PHI. */
  readonly detail?: string | undefined;
}

export interface AuditLog {
  /**
   * Records one security event. Given `q` (a transaction), the row is written inside it, so it
   * commits or rolls back with the change it records; otherwise it is written on its own and the
   * promise resolves once it is durable.
   */
  security(event: SecurityEvent, q?: Queryable): Promise<void>;
  /**
   * Records accesses to health data. Given `q`, inside that transaction; otherwise with concurrent
   * callers' events in one multi-row INSERT, resolving once durable. Callers record before they
   * answer, so an access that cannot be recorded is not answered (fail closed).
   */
  access(events: readonly DataAccessEvent[], q?: Queryable): Promise<void>;
}
