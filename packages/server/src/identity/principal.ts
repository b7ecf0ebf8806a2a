/**
 * Who is calling: resolved once per request by the identity capability's authentication hook and
 * read by the one access policy (identity/access) and by every non-FHIR route. Never logged whole:
 * logs carry `actorRef(principal)` only (no names, no email addresses).
 */
import { ROLES } from '@careline/contracts';

export { ROLES };
export type Role = (typeof ROLES)[number];

/** Roles for which TOTP multi-factor authentication is mandatory (issue #4: every staff role). */
export const STAFF_ROLES: readonly Role[] = ['clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A role held in one organisation (clinic); an account may hold several. */
export interface Membership {
  /** FHIR Organization id of the clinic. */
  readonly organizationId: string;
  readonly role: Role;
}

export interface UserPrincipal {
  readonly kind: 'user';
  readonly accountId: string;
  readonly email: string;
  /** 'Patient/<id>' | 'Practitioner/<id>' | 'RelatedPerson/<id>', or null for an account without one. */
  readonly fhirUser: string | null;
  readonly memberships: readonly Membership[];
  /** The session (browser cookie or bearer token) this request authenticated with. */
  readonly sessionId: string;
  readonly via: 'cookie' | 'bearer';
}

export interface ClientPrincipal {
  readonly kind: 'client';
  readonly clientId: string;
  /** Granted scopes, e.g. 'system/*.read' (SMART v1 syntax). */
  readonly scopes: readonly string[];
  readonly organizationId: string | null;
  readonly sessionId: string;
}

/**
 * A monitoring device or uploader app (issue #7), authenticated by its own credential, bound on the
 * server to one Device and one patient: it may write that patient's readings and nothing else.
 */
export interface DevicePrincipal {
  readonly kind: 'device';
  /** 'Device/<id>' */
  readonly device: string;
  /** 'Patient/<id>' the device is assigned to. */
  readonly patient: string;
  readonly organizationId: string;
  /** The credential (its row id), for revocation and per-device rate limits. */
  readonly sessionId: string;
}

export type Principal = UserPrincipal | ClientPrincipal | DevicePrincipal;

/** The only identifier of a caller that may appear in logs and audit agents' `who.reference`. */
export function actorRef(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return `User/${p.accountId}`;
    case 'client':
      return `Client/${p.clientId}`;
    case 'device':
      return p.device;
  }
}

export function hasRole(p: Principal, role: Role, organizationId?: string): boolean {
  return p.kind === 'user' && p.memberships.some((m) => m.role === role && (organizationId === undefined || m.organizationId === organizationId));
}

export function isStaff(p: Principal): boolean {
  return p.kind === 'user' && p.memberships.some((m) => STAFF_ROLES.includes(m.role));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the identity capability's authentication hook; undefined for anonymous callers. */
    principal?: Principal;
  }
}
