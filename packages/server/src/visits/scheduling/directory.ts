import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import { hasRole, type Principal, type Role } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { searchAll } from './fhir-query.js';

/**
 * Who is who for scheduling: a practitioner's and a patient's clinics (their organisation tags) and
 * display names. Read with system access because patients may not read the clinic's staff directory
 * (only their care team) and booking needs it; what leaves here is a clinic id and a display name,
 * never clinical data, and every route checks the caller before using it.
 */
const DIRECTORY = systemContext('visits-scheduling-directory');

export const STAFF_SCHEDULERS: readonly Role[] = ['front-desk', 'admin'];
export const CLINICAL_ROLES: readonly Role[] = ['clinician', 'nurse', 'specialist'];

export interface Person {
  readonly reference: string;
  readonly display: string;
  readonly clinics: readonly string[];
  readonly resource: FhirResource;
}

export function clinicsOf(resource: FhirResource): string[] {
  const tags = (resource.meta?.tag ?? []) as { system?: unknown; code?: unknown }[];
  return tags.filter((t) => t.system === ORGANIZATION_TAG_SYSTEM && typeof t.code === 'string').map((t) => String(t.code));
}

export function displayName(resource: FhirResource): string {
  const names = Array.isArray(resource.name) ? (resource.name as { text?: string; given?: string[]; family?: string; prefix?: string[] }[]) : [];
  const n = names[0];
  if (!n) return resource.resourceType;
  if (n.text) return n.text;
  return [...(n.prefix ?? []), ...(n.given ?? []), n.family ?? ''].join(' ').trim() || resource.resourceType;
}

/** The person behind `Practitioner/x` or `Patient/x`, or 404 naming the field. */
export async function person(store: FhirStore, reference: string, field: string): Promise<Person> {
  const [type, id] = reference.split('/') as [string, string];
  try {
    const { resource } = await store.read(DIRECTORY, type, id);
    return { reference, display: displayName(resource), clinics: clinicsOf(resource), resource };
  } catch (err) {
    if (err instanceof CarelineError && (err.code === 'not-found' || err.code === 'gone')) {
      throw new CarelineError('not-found', [{ diagnostics: `${reference} is not known.`, expression: [field] }]);
    }
    throw err;
  }
}

/** Whether the caller holds one of `roles` in `clinic`. */
export function holdsIn(principal: Principal, roles: readonly Role[], clinic: string): boolean {
  return roles.some((r) => hasRole(principal, r, clinic));
}

/** The caller's own FHIR identity ('Patient/x', 'Practitioner/x') or undefined. */
export function selfRef(principal: Principal): string | undefined {
  return principal.kind === 'user' ? (principal.fhirUser ?? undefined) : undefined;
}

/** Practitioners of a clinic (for the bookable list). */
export async function practitionersOf(store: FhirStore, clinic: string): Promise<Person[]> {
  const found = await searchAll(store, DIRECTORY, 'Practitioner', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${clinic}` });
  return found.map((resource) => ({ reference: `Practitioner/${String(resource.id)}`, display: displayName(resource), clinics: clinicsOf(resource), resource }));
}
