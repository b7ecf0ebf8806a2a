import { randomUUID } from 'node:crypto';
import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirResource } from '../../fhir/index.js';
import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { checkPassword, passwordProblemMessage } from '../credentials/password-policy.js';
import type { IdentityContext } from '../identity-context.js';
import { STAFF_ROLES, type Role } from '../principal.js';

export interface NewAccountInput {
  readonly email: string;
  /** Plain password, checked against the policy; undefined for an account that cannot log in yet. */
  readonly password: string | undefined;
  readonly role: Role;
  readonly organizationId: string;
  readonly given?: string | undefined;
  readonly family?: string | undefined;
  /** YYYY-MM-DD (patients). */
  readonly birthDate?: string | undefined;
  readonly emailVerified: boolean;
}

const FHIR_CTX = systemContext('identity');

/** Throws 422 password-rejected naming the broken rule (OWASP ASVS V2.1). */
export function assertPasswordAllowed(password: string, email: string): void {
  const problem = checkPassword(password, email);
  if (problem) throw new CarelineError('password-rejected', [{ diagnostics: passwordProblemMessage(problem), expression: ['password'] }]);
}

function orgTag(organizationId: string): { tag: { system: string; code: string }[] } {
  return { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: organizationId }] };
}

function humanName(given: string | undefined, family: string | undefined): { name?: { given?: string[]; family?: string }[] } {
  if (!given && !family) return {};
  return { name: [{ ...(given ? { given: [given] } : {}), ...(family ? { family } : {}) }] };
}

/**
 * Creates an account, its membership and its FHIR identity in one transaction: a Patient for a
 * patient, a Practitioner plus a PractitionerRole in the clinic for staff (a caregiver's
 * RelatedPerson needs the patient it relates to, so it is linked later). Throws 409 when the email
 * already has an account.
 */
export async function createAccount(ctx: IdentityContext, input: NewAccountInput, tx?: Queryable): Promise<{ id: string; fhirUser: string | null }> {
  if (input.password !== undefined) assertPasswordAllowed(input.password, input.email);
  const passwordHash = input.password !== undefined ? await ctx.hasher.hash(input.password) : null;
  const run = async (q: Queryable): Promise<{ id: string; fhirUser: string | null }> => {
    const id = randomUUID();
    if (!(await ctx.accounts.with(q).insert({ id, email: input.email, passwordHash, fhirUser: null, emailVerified: input.emailVerified }))) {
      throw new CarelineError('conflict', [{ diagnostics: 'An account with this email already exists.', expression: ['email'] }]);
    }
    await ctx.accounts.with(q).addMembership(id, input.organizationId, input.role);
    const fhirUser = await createFhirIdentity(ctx, input, q);
    if (fhirUser) await ctx.accounts.with(q).setFhirUser(id, fhirUser);
    return { id, fhirUser };
  };
  return tx ? run(tx) : ctx.platform.db.transaction(run);
}

async function createFhirIdentity(ctx: IdentityContext, input: NewAccountInput, q: Queryable): Promise<string | null> {
  const meta = orgTag(input.organizationId);
  const telecom = [{ system: 'email', value: input.email }];
  if (input.role === 'patient') {
    const patient: FhirResource = {
      resourceType: 'Patient',
      meta,
      active: true,
      ...humanName(input.given, input.family),
      telecom,
      ...(input.birthDate ? { birthDate: input.birthDate } : {}),
      managingOrganization: { reference: `Organization/${input.organizationId}` },
    };
    const created = await ctx.store.createValidated(FHIR_CTX, ctx.store.validate(patient), q);
    return `Patient/${created.resource.id ?? ''}`;
  }
  if (!STAFF_ROLES.includes(input.role)) return null;
  const practitioner = await ctx.store.createValidated(
    FHIR_CTX,
    ctx.store.validate({ resourceType: 'Practitioner', meta, active: true, ...humanName(input.given, input.family), telecom }),
    q,
  );
  const practitionerId = practitioner.resource.id ?? '';
  await ctx.store.createValidated(
    FHIR_CTX,
    ctx.store.validate({
      resourceType: 'PractitionerRole',
      meta,
      active: true,
      practitioner: { reference: `Practitioner/${practitionerId}` },
      organization: { reference: `Organization/${input.organizationId}` },
      code: [{ coding: [{ system: 'https://careline.health/fhir/CodeSystem/role', code: input.role }] }],
    }),
    q,
  );
  return `Practitioner/${practitionerId}`;
}

/** Creates a clinic: a FHIR Organization (owned by itself). */
export async function createOrganization(ctx: IdentityContext, name: string, q?: Queryable): Promise<string> {
  const id = randomUUID();
  const org = ctx.store.validate({ resourceType: 'Organization', meta: orgTag(id), active: true, name });
  await ctx.store.createValidated(FHIR_CTX, org, q ?? ctx.platform.db, id);
  return id;
}

/** Whether an Organization with this id exists (for CLI and admin input). */
export async function organizationExists(ctx: IdentityContext, id: string): Promise<boolean> {
  try {
    await ctx.store.read(FHIR_CTX, 'Organization', id);
    return true;
  } catch (err) {
    if (err instanceof CarelineError && (err.code === 'not-found' || err.code === 'gone')) return false;
    throw err;
  }
}
