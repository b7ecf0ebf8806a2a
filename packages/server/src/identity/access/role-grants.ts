import type { ResourceFacts, ScopeRule } from '../../fhir/access/access-policy.js';
import type { Role } from '../principal.js';
import type { AccessFacts } from './access-facts.js';
import {
  ADMIN_READ_TYPES, ADMIN_TYPES, CLINIC_WIDE_TYPES, clinicalWriteTypes, FRONT_DESK_DELETE_TYPES, FRONT_DESK_TYPES, NURSE_TYPES,
  PATIENT_AUTHORED_TYPES, PATIENT_OBSERVATION_CATEGORIES, TELEPRESENTER_READ_TYPES,
} from './resource-classes.js';
import { authoredBy, observationCategories, subjectOf } from './self-authored.js';
import { permits, type ScopePermission } from './smart-scopes.js';

type Json = Readonly<Record<string, unknown>>;

/**
 * What one role held in one clinic (or one patient's or caregiver's standing) allows: the rows it
 * reads, as ScopeRules the SQL applies, and its write checks. The policy is the union of a caller's
 * grants; a write must be allowed by one grant as a whole (before and after), so data never moves
 * out of the reach that allowed it.
 */
export interface Grant {
  readonly read: readonly ScopeRule[];
  create(after: ResourceFacts): boolean;
  update(before: ResourceFacts, after: ResourceFacts): boolean;
  delete(facts: ResourceFacts): boolean;
  /** How well a resource about to be created fits this grant (0: cannot write it; 2: fits exactly), and the organisations it would be stamped with. */
  fit(resource: Json): { readonly score: number; readonly organizations: readonly string[] };
  /** Set on self-authored data (Observation.performer, Communication.sender …) when this grant writes it. */
  readonly author?: { readonly self: string; readonly defaultSubject: string | undefined };
  /** Server-owned fields this grant sets on what it writes, whatever the client sent. */
  stamp?(resource: Record<string, unknown>): Record<string, unknown>;
}

export const orgRef = (organizationId: string): string => `Organization/${organizationId}`;
export const patientsIn = (f: Pick<ResourceFacts, 'compartments'>): string[] => f.compartments.filter((c) => c.startsWith('Patient/'));
const hasOrg = (f: Pick<ResourceFacts, 'compartments'>, organizationId: string): boolean => f.compartments.includes(orgRef(organizationId));
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const nonEmpty = (rules: (ScopeRule | false)[]): ScopeRule[] =>
  rules.filter((r): r is ScopeRule => r !== false && (r.anyOf === undefined || r.anyOf.length > 0) && (r.refs === undefined || r.refs.length > 0));
const never = (): boolean => false;

/** The subject a resource is about, for choosing the clinic to stamp ('Patient/<id>' or undefined). */
function aboutPatient(resource: Json): string | undefined {
  const s = subjectOf(resource) ?? subjectOf({ subject: resource.patient });
  return s?.startsWith('Patient/') ? s : undefined;
}

/** Every staff member reads their clinic's clinic-wide resources, themselves and their clinic. */
function staffReads(organizationId: string, self: string | null): ScopeRule[] {
  return nonEmpty([
    { types: CLINIC_WIDE_TYPES, allOf: [orgRef(organizationId)], noPatient: true },
    { refs: [orgRef(organizationId), ...(self ? [self] : [])] },
  ]);
}

/** A patient-authored resource about `patient`, written by `author` (what patients and read-write caregivers may write). */
function selfAuthored(f: ResourceFacts, patient: string, author: string): boolean {
  const r = f.resource;
  if (!r || !PATIENT_AUTHORED_TYPES.includes(f.resourceType)) return false;
  if (!sameSet(patientsIn(f), [patient]) || subjectOf(r) !== patient || !authoredBy(r, author)) return false;
  return f.resourceType !== 'Observation' || observationCategories(r).some((c) => PATIENT_OBSERVATION_CATEGORIES.includes(c));
}

/** patient: their own compartment (any clinic: it is their record) plus their clinics and care-team members. */
export function patientGrant(self: string, organizations: readonly string[], facts: AccessFacts): Grant {
  return {
    read: nonEmpty([{ anyOf: [self] }, { refs: [...facts.careTeamMembers, ...organizations.map(orgRef)] }]),
    create: (f) => selfAuthored(f, self, self),
    update: (before, after) => {
      if (after.resourceType === 'Patient' && `Patient/${after.id ?? ''}` === self) {
        // Their own demographics; never linked into another patient's compartment.
        return sameSet(patientsIn(before), [self]) && sameSet(patientsIn(after), [self]);
      }
      return selfAuthored(after, self, self) && before.compartments.includes(self) && authoredBy(before.resource, self);
    },
    delete: never,
    fit: (r) => ({ score: PATIENT_AUTHORED_TYPES.includes(String(r.resourceType)) || r.resourceType === 'Patient' ? 2 : 0, organizations }),
    author: { self, defaultSubject: self },
  };
}

/** caregiver: the granted patients' records; with a read-write grant, what the patient could author, as themselves. */
export function caregiverGrant(self: string, organizations: readonly string[], facts: AccessFacts): Grant {
  const readable = facts.caregiverGrants.map((g) => g.patient);
  const writable = facts.caregiverGrants.filter((g) => g.scope === 'read-write').map((g) => g.patient);
  const writes = (f: ResourceFacts): boolean => writable.some((p) => selfAuthored(f, p, self));
  return {
    read: nonEmpty([{ anyOf: readable }, { refs: [self] }]),
    create: writes,
    update: (before, after) => writes(after) && authoredBy(before.resource, self) && patientsIn(before).every((p) => writable.includes(p)),
    delete: never,
    fit: (r) => {
      const about = aboutPatient(r);
      return { score: PATIENT_AUTHORED_TYPES.includes(String(r.resourceType)) && about !== undefined && writable.includes(about) ? 2 : 0, organizations };
    },
    author: { self, defaultSubject: writable.length === 1 ? writable[0] : undefined },
  };
}

/**
 * clinician, nurse, specialist: patient data of their clinic for the patients on whose CareTeam they
 * are (or opened by break-the-glass), plus clinic-wide resources; writes by role.
 */
export function clinicalGrant(role: 'clinician' | 'nurse' | 'specialist', organizationId: string, self: string | null, facts: AccessFacts): Grant {
  const team = [...(facts.careTeamPatients.get(organizationId) ?? []), ...(facts.emergencyPatients.get(organizationId) ?? [])];
  const types = role === 'nurse' ? NURSE_TYPES : clinicalWriteTypes();
  const ok = (f: ResourceFacts): boolean => {
    const patients = patientsIn(f);
    return types.includes(f.resourceType) && hasOrg(f, organizationId) && patients.length > 0 && patients.every((p) => team.includes(p));
  };
  return {
    read: [...nonEmpty([{ allOf: [orgRef(organizationId)], anyOf: team }]), ...staffReads(organizationId, self)],
    create: ok,
    update: (before, after) => ok(before) && ok(after),
    // Clinicians may delete patient data (history keeps every version), never the Patient itself.
    delete: (f) => role === 'clinician' && f.resourceType !== 'Patient' && ok(f),
    fit: (r) => {
      const about = aboutPatient(r);
      const score = !types.includes(String(r.resourceType)) ? 0 : about !== undefined && team.includes(about) ? 2 : 1;
      return { score, organizations: [organizationId] };
    },
  };
}

/** telepresenter: during an active visit (in-progress Encounter they take part in), the patient's demographics and the visit, and vitals they record. */
export function telepresenterGrant(organizationId: string, self: string | null, facts: AccessFacts): Grant {
  const visits = facts.activeVisitPatients.get(organizationId) ?? [];
  const vitals = (f: ResourceFacts): boolean => {
    const patients = patientsIn(f);
    const subject = f.resource ? subjectOf(f.resource) : undefined;
    return f.resourceType === 'Observation' && f.resource !== undefined && observationCategories(f.resource).includes('vital-signs') && hasOrg(f, organizationId)
      && patients.length > 0 && patients.every((p) => visits.includes(p)) && subject !== undefined && visits.includes(subject);
  };
  return {
    read: [...nonEmpty([{ types: TELEPRESENTER_READ_TYPES, allOf: [orgRef(organizationId)], anyOf: visits }]), ...staffReads(organizationId, self)],
    create: vitals,
    update: never,
    delete: never,
    fit: (r) => ({ score: r.resourceType === 'Observation' ? (visits.includes(aboutPatient(r) ?? '') ? 2 : 1) : 0, organizations: [organizationId] }),
    ...(self ? { author: { self, defaultSubject: undefined } } : {}),
  };
}

/** front-desk: demographics and scheduling of their clinic; no clinical data. */
export function frontDeskGrant(organizationId: string, self: string | null): Grant {
  const ok = (f: ResourceFacts): boolean => FRONT_DESK_TYPES.includes(f.resourceType) && hasOrg(f, organizationId);
  return {
    read: [{ types: FRONT_DESK_TYPES, allOf: [orgRef(organizationId)] }, ...staffReads(organizationId, self)],
    create: ok,
    update: (before, after) => ok(before) && ok(after),
    delete: (f) => FRONT_DESK_DELETE_TYPES.includes(f.resourceType) && hasOrg(f, organizationId),
    fit: (r) => ({ score: FRONT_DESK_TYPES.includes(String(r.resourceType)) ? 1 : 0, organizations: [organizationId] }),
  };
}

/** admin: the clinic's administration (people, structure, care teams, content); patients' demographics read-only; no clinical data. */
export function adminGrant(organizationId: string, self: string | null): Grant {
  const isOwnOrg = (f: ResourceFacts): boolean => f.resourceType === 'Organization' && f.id === organizationId;
  const ok = (f: ResourceFacts): boolean => ADMIN_TYPES.includes(f.resourceType) && (hasOrg(f, organizationId) || isOwnOrg(f));
  return {
    read: [
      { types: ADMIN_READ_TYPES, allOf: [orgRef(organizationId)] },
      // The clinic's notices that concern no patient's compartment (break-the-glass notifications).
      { types: ['Communication'], allOf: [orgRef(organizationId)], noPatient: true },
      ...staffReads(organizationId, self),
    ],
    create: ok,
    update: (before, after) => ok(before) && ok(after),
    delete: (f) => ok(f) && !isOwnOrg(f),
    fit: (r) => ({ score: ADMIN_TYPES.includes(String(r.resourceType)) ? 1 : 0, organizations: [organizationId] }),
  };
}

/** A system client: its SMART system scopes, inside its clinic when it has one, everywhere otherwise. */
export function clientGrant(scopes: readonly ScopePermission[], organizationId: string | null): Grant {
  const inOrg = (f: ResourceFacts): boolean => organizationId === null || hasOrg(f, organizationId);
  const readTypes = scopes.filter((s) => s.read || s.search).map((s) => s.type);
  const allOf = organizationId === null ? {} : { allOf: [orgRef(organizationId)] };
  return {
    read: readTypes.length === 0 ? [] : [{ ...(readTypes.includes('*') ? {} : { types: readTypes }), ...allOf }],
    create: (f) => permits(scopes, f.resourceType, 'create') && inOrg(f),
    update: (before, after) => permits(scopes, after.resourceType, 'update') && inOrg(before) && inOrg(after),
    delete: (f) => permits(scopes, f.resourceType, 'delete') && inOrg(f),
    fit: (r) => ({ score: permits(scopes, String(r.resourceType), 'create') ? 1 : 0, organizations: organizationId === null ? [] : [organizationId] }),
  };
}

/**
 * A monitoring device (issue #7): creates Observations about its one patient and nothing else; reads
 * only its own Device. The device reference is the server's, whatever the payload says; a payload
 * naming another patient is refused (never re-assigned: that would file a reading under the wrong person).
 */
export function deviceGrant(device: string, patient: string, organizationId: string): Grant {
  return {
    read: [{ types: ['Device'], refs: [device] }],
    create: (f) => f.resourceType === 'Observation' && sameSet(patientsIn(f), [patient]) && hasOrg(f, organizationId) && subjectOf(f.resource ?? {}) === patient,
    update: never,
    delete: never,
    fit: (r) => ({ score: r.resourceType === 'Observation' ? 2 : 0, organizations: [organizationId] }),
    stamp: (r) => (r.resourceType === 'Observation' ? { ...r, device: { reference: device } } : r),
  };
}

export type StaffRole = Exclude<Role, 'patient' | 'caregiver'>;
