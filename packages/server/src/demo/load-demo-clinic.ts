import { randomBytes, randomUUID } from 'node:crypto';
import { ORGANIZATION_TAG_SYSTEM, systemContext } from '../fhir/index.js';
import { PRIVACY_OFFICER_ROLE } from '../identity/access/index.js';
import type { IdentityContext } from '../identity/identity-context.js';
import type { Role } from '../identity/principal.js';
import { createAccount } from '../identity/use-cases/create-account.js';
import { CarelineError } from '../platform/errors/careline-error.js';
import { seedDemoSchedules } from '../visits/scheduling/demo-schedules.js';
import { loadDemoPatients } from './load-demo-patients.js';

/** The demo clinic's fixed id: loading it twice is refused rather than making a second clinic. */
export const DEMO_ORGANIZATION_ID = 'demo-valle-verde';
const DOMAIN = 'valle-verde.example.org';

interface DemoPerson {
  readonly email: string;
  readonly role: Role;
  readonly given: string;
  readonly family: string;
}

/** One person for every staff role, and a second clinician whose panel is empty (for contrast). */
const STAFF: readonly DemoPerson[] = [
  { email: `admin@${DOMAIN}`, role: 'admin', given: 'Teresa', family: 'Quintana' },
  { email: `dr.ortiz@${DOMAIN}`, role: 'clinician', given: 'Daniel', family: 'Ortiz' },
  { email: `dr.chen@${DOMAIN}`, role: 'clinician', given: 'Grace', family: 'Chen' },
  { email: `nurse.baker@${DOMAIN}`, role: 'nurse', given: 'Amos', family: 'Baker' },
  { email: `dr.haddad@${DOMAIN}`, role: 'specialist', given: 'Leila', family: 'Haddad' },
  { email: `tp.romero@${DOMAIN}`, role: 'telepresenter', given: 'Inés', family: 'Romero' },
  { email: `frontdesk@${DOMAIN}`, role: 'front-desk', given: 'Kyle', family: 'Sutton' },
];

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly fhirUser: string | null;
}

export interface DemoClinic {
  readonly organizationId: string;
  /** One generated password for every demo account, shown once (there are no default passwords). */
  readonly password: string;
  readonly accounts: readonly DemoAccount[];
  readonly patients: number;
}

/** A password nobody else knows: 'demo-' and 16 random base64url characters (96 bits). */
function generatePassword(): string {
  return `demo-${randomBytes(12).toString('base64url')}`;
}

/**
 * Loads a living demo clinic: the Organization, staff of every role (staff enrol TOTP at their first
 * sign-in, as everywhere), a privacy officer, a few dozen synthetic patients with histories and care
 * teams, and portal accounts for the first patients. Accounts share one generated password that
 * the caller shows once. Refused (409) when the demo clinic exists already.
 */
export async function loadDemoClinic(ctx: IdentityContext, options: { patients?: number; seed?: number; now?: Date } = {}): Promise<DemoClinic> {
  const fhir = systemContext('demo');
  const org = ctx.store.validate({
    resourceType: 'Organization',
    id: DEMO_ORGANIZATION_ID,
    meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: DEMO_ORGANIZATION_ID }] },
    active: true,
    name: 'Valle Verde Community Clinic (demo)',
    telecom: [{ system: 'phone', value: '+1-555-0100' }],
    address: [{ city: 'Alamosa', state: 'CO', country: 'US' }],
  });
  // PUT semantics serialise concurrent loads on the id: exactly one creates, the others see it.
  const { created } = await ctx.store.update(fhir, 'Organization', DEMO_ORGANIZATION_ID, org);
  if (!created) throw new CarelineError('conflict', [{ diagnostics: 'The demo clinic is loaded already.' }]);

  const password = generatePassword();
  const accounts: DemoAccount[] = [];
  for (const p of STAFF) {
    const a = await createAccount(ctx, { email: p.email, password, role: p.role, organizationId: DEMO_ORGANIZATION_ID, given: p.given, family: p.family, emailVerified: true });
    accounts.push({ email: p.email, role: p.role, fhirUser: a.fhirUser });
  }
  const ref = (email: string): string => accounts.find((a) => a.email === email)?.fhirUser ?? '';

  // The admin is also the clinic's privacy officer: break-the-glass notices go to them.
  const admin = ref(`admin@${DOMAIN}`);
  if (admin) {
    await ctx.store.createValidated(fhir, ctx.store.validate({
      resourceType: 'PractitionerRole',
      meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: DEMO_ORGANIZATION_ID }] },
      active: true,
      practitioner: { reference: admin },
      organization: { reference: `Organization/${DEMO_ORGANIZATION_ID}` },
      code: [{ coding: [{ ...PRIVACY_OFFICER_ROLE, display: 'Privacy officer' }] }],
    }));
  }

  const count = options.patients ?? 36;
  const patients = await loadDemoPatients(ctx.store, ctx.platform.db, {
    team: { organizationId: DEMO_ORGANIZATION_ID, clinician: ref(`dr.ortiz@${DOMAIN}`), nurse: ref(`nurse.baker@${DOMAIN}`), specialist: ref(`dr.haddad@${DOMAIN}`) },
    count,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  await seedDemoSchedules(ctx.store, ctx.platform.db, {
    organizationId: DEMO_ORGANIZATION_ID,
    practitioners: { primary: ref(`dr.ortiz@${DOMAIN}`), second: ref(`dr.chen@${DOMAIN}`), specialist: ref(`dr.haddad@${DOMAIN}`) },
    patients: patients.map((p) => p.reference),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  // Portal accounts for the first three patients, linked to their existing records.
  for (const [i, p] of patients.slice(0, 3).entries()) {
    const email = `patient${String(i + 1)}@${DOMAIN}`;
    const passwordHash = await ctx.hasher.hash(password);
    await ctx.platform.db.transaction(async (tx) => {
      const id = randomUUID();
      const repo = ctx.accounts.with(tx);
      await repo.insert({ id, email, passwordHash, fhirUser: null, emailVerified: true });
      await repo.addMembership(id, DEMO_ORGANIZATION_ID, 'patient');
      await repo.setFhirUser(id, p.reference);
    });
    accounts.push({ email, role: 'patient', fhirUser: p.reference });
  }
  await ctx.audit.security({ type: 'account-change', outcome: 'success', actor: 'system:demo', organizationId: DEMO_ORGANIZATION_ID, detail: 'demo-clinic-loaded' });
  return { organizationId: DEMO_ORGANIZATION_ID, password, accounts, patients: patients.length };
}
