import { ZAvailabilityInput, type TAvailability, type TAvailabilityInput } from '@careline/contracts';
import { onBehalfOf, ORGANIZATION_TAG_SYSTEM, systemContext, type AccessContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import type { Principal } from '../../identity/index.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { holdsIn, person, selfRef, STAFF_SCHEDULERS, type Person } from './directory.js';
import { searchAll } from './fhir-query.js';
import { lockFor } from './scheduling-locks.js';

/**
 * A practitioner's availability is a FHIR Schedule (actor: the Practitioner, tagged with the clinic)
 * whose rules (IANA zone, weekly hours, exceptions, offered visit types) ride as JSON in an extension,
 * as monitoring's CarePlan carries its rules. Slots are computed from it, not stored.
 */
export const AVAILABILITY_EXTENSION = 'urn:careline:extension:visit-availability';

/** Reads for slot computation and booking checks: patients may not read Schedules (clinic-wide staff data). */
const SCHEDULING = systemContext('visits-scheduling');

export const EMPTY_RULES = (timeZone: string): TAvailabilityInput => ({ timeZone, weekly: [], exceptions: [] });

export interface StoredAvailability {
  readonly clinic: string;
  readonly practitioner: Person;
  readonly rules: TAvailabilityInput;
  readonly schedule?: FhirResource;
}

export function rulesOf(schedule: FhirResource): TAvailabilityInput | undefined {
  const ext = (schedule.extension as { url?: string; valueString?: string }[] | undefined)?.find((e) => e.url === AVAILABILITY_EXTENSION);
  if (!ext?.valueString) return undefined;
  const parsed = ZAvailabilityInput.safeParse(JSON.parse(ext.valueString));
  return parsed.success ? parsed.data : undefined;
}

/** The practitioner's clinic: the first of theirs that is in `allowed` (or their first). */
export function clinicFor(practitioner: Person, allowed?: readonly string[]): string {
  const clinic = allowed ? practitioner.clinics.find((c) => allowed.includes(c)) : practitioner.clinics[0];
  if (!clinic) throw new CarelineError('not-found', [{ diagnostics: `${practitioner.reference} is not known.`, expression: ['practitioner'] }]);
  return clinic;
}

export async function findSchedule(store: FhirStore, practitioner: string, clinic: string, q?: Queryable, ctx: AccessContext = SCHEDULING): Promise<FhirResource | undefined> {
  const found = await searchAll(store, ctx, 'Schedule', { actor: practitioner, _tag: `${ORGANIZATION_TAG_SYSTEM}|${clinic}` }, q);
  return found.find((s) => s.active !== false);
}

export async function loadAvailability(store: FhirStore, practitioner: Person, clinic: string, defaultZone: string): Promise<StoredAvailability> {
  const schedule = await findSchedule(store, practitioner.reference, clinic);
  const rules = (schedule && rulesOf(schedule)) ?? EMPTY_RULES(defaultZone);
  return { clinic, practitioner, rules, ...(schedule ? { schedule } : {}) };
}

export function toWire(a: StoredAvailability): TAvailability {
  const updated = a.schedule?.meta?.lastUpdated;
  return {
    practitioner: a.practitioner.reference,
    ...a.rules,
    ...(a.schedule?.id ? { scheduleId: a.schedule.id } : {}),
    ...(typeof updated === 'string' ? { updatedAt: updated } : {}),
  };
}

/** Who may see or change a practitioner's availability: themself, or front desk / admin of their clinic. */
export function mayManage(principal: Principal, practitioner: Person): string | undefined {
  if (selfRef(principal) === practitioner.reference) return practitioner.clinics[0];
  return practitioner.clinics.find((c) => holdsIn(principal, STAFF_SCHEDULERS, c));
}

export async function getAvailability(store: FhirStore, principal: Principal, practitionerRef: string, defaultZone: string): Promise<TAvailability> {
  const practitioner = await person(store, practitionerRef, 'practitioner');
  const clinic = mayManage(principal, practitioner);
  if (!clinic) throw new CarelineError('not-found', [{ diagnostics: `${practitionerRef} is not known.`, expression: ['practitioner'] }]);
  return toWire(await loadAvailability(store, practitioner, clinic, defaultZone));
}

/**
 * Replaces the rules. Front desk and admins write with their own access (the policy lets them write
 * the clinic's Schedules). A practitioner editing their own hours is not in the policy yet (clinicians
 * may not write Schedule; reported): after the explicit check above (mayManage: it is their own
 * Schedule) the server writes it on their behalf, audited as them.
 */
export async function putAvailability(store: FhirStore, db: Database, principal: Principal, own: AccessContext, practitionerRef: string, input: TAvailabilityInput): Promise<TAvailability> {
  const practitioner = await person(store, practitionerRef, 'practitioner');
  const clinic = mayManage(principal, practitioner);
  if (!clinic) throw new CarelineError('not-found', [{ diagnostics: `${practitionerRef} is not known.`, expression: ['practitioner'] }]);
  const ctx = holdsIn(principal, STAFF_SCHEDULERS, clinic) ? own : onBehalfOf(own);
  const saved = await db.transaction(async (tx) => {
    await lockFor(tx, 'visits-schedule', practitionerRef);
    return saveSchedule(store, ctx, clinic, practitioner, input, tx);
  });
  return toWire({ clinic, practitioner, rules: input, schedule: saved });
}

/** Creates or replaces the practitioner's Schedule in the clinic (the caller holds the practitioner's schedule lock or is the demo loader). */
export async function saveSchedule(store: FhirStore, ctx: AccessContext, clinic: string, practitioner: Person, input: TAvailabilityInput, tx: Queryable): Promise<FhirResource> {
  const existing = await findSchedule(store, practitioner.reference, clinic, tx);
  const body: FhirResource = {
    resourceType: 'Schedule',
    ...(existing?.id ? { id: existing.id } : {}),
    meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: clinic }] },
    active: true,
    actor: [{ reference: practitioner.reference, display: practitioner.display }],
    comment: `Availability in ${input.timeZone}`,
    extension: [{ url: AVAILABILITY_EXTENSION, valueString: JSON.stringify(input) }],
  };
  if (existing?.id) return (await store.update(ctx, 'Schedule', existing.id, body, {}, tx)).result.resource;
  return (await store.create(ctx, body, tx)).resource;
}
