import type { TBookingRules, TVisitType } from '@careline/contracts';
import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { searchAll } from './fhir-query.js';
import { lockFor } from './scheduling-locks.js';

/**
 * Visit types are FHIR ActivityDefinitions (kind Appointment) tagged with the clinic. Chosen over
 * HealthcareService because an ActivityDefinition of kind Appointment is R4's definition of "an
 * appointment to be scheduled" and carries the duration natively (timingDuration), while
 * HealthcareService has no duration element and describes a whole service line (hours, location,
 * eligibility) rather than one bookable visit. The mode (video | audio | in-person) rides in an extension.
 */
export const VISIT_TYPE_SYSTEM = 'urn:careline:visit-type';
export const VISIT_MODE_EXTENSION = 'urn:careline:extension:visit-mode';

/** The clinic rules for patients (staff are exempt); one place to make them per-clinic later. */
export const BOOKING_RULES: TBookingRules = { minNoticeMinutes: 120, maxHorizonDays: 90, patientChangeUntilMinutes: 120 };

export const DEFAULT_VISIT_TYPES: readonly TVisitType[] = [
  { code: 'new-patient-video', display: 'New patient video visit', durationMinutes: 30, mode: 'video' },
  { code: 'follow-up-video', display: 'Follow-up video visit', durationMinutes: 15, mode: 'video' },
  { code: 'audio-only', display: 'Audio-only visit', durationMinutes: 15, mode: 'audio' },
  { code: 'in-person', display: 'In-person visit', durationMinutes: 30, mode: 'in-person' },
];

/** Clinic configuration, not patient data: read and created by the server for every caller of the clinic. */
const CONFIG = systemContext('visits-visit-types');

function toResource(clinic: string, t: TVisitType): FhirResource {
  return {
    resourceType: 'ActivityDefinition',
    meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: clinic }] },
    url: `${VISIT_TYPE_SYSTEM}:${clinic}:${t.code}`,
    name: t.code.replace(/-/g, '_'),
    title: t.display,
    status: 'active',
    kind: 'Appointment',
    code: { coding: [{ system: VISIT_TYPE_SYSTEM, code: t.code, display: t.display }], text: t.display },
    timingDuration: { value: t.durationMinutes, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
    extension: [{ url: VISIT_MODE_EXTENSION, valueCode: t.mode }],
  };
}

export function fromResource(r: FhirResource): TVisitType | undefined {
  const coding = (r.code as { coding?: { system?: string; code?: string; display?: string }[] } | undefined)?.coding?.find((c) => c.system === VISIT_TYPE_SYSTEM);
  const minutes = (r.timingDuration as { value?: number } | undefined)?.value;
  const mode = (r.extension as { url?: string; valueCode?: string }[] | undefined)?.find((e) => e.url === VISIT_MODE_EXTENSION)?.valueCode;
  if (!coding?.code || typeof minutes !== 'number' || (mode !== 'video' && mode !== 'audio' && mode !== 'in-person')) return undefined;
  return { code: coding.code, display: coding.display ?? coding.code, durationMinutes: minutes, mode };
}

/**
 * The clinic's visit types; on first use the defaults are created, once (an advisory lock per clinic
 * keeps concurrent first requests from creating them twice).
 */
export async function visitTypesOf(store: FhirStore, db: Database, clinic: string): Promise<TVisitType[]> {
  const existing = await readAll(store, clinic);
  if (existing.length > 0) return existing;
  await db.transaction(async (tx) => {
    await lockFor(tx, 'visits-visit-types', clinic);
    const again = await searchAll(store, CONFIG, 'ActivityDefinition', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${clinic}` }, tx);
    if (again.length > 0) return;
    for (const t of DEFAULT_VISIT_TYPES) await store.create(CONFIG, toResource(clinic, t), tx);
  });
  return readAll(store, clinic);
}

/** Every active visit type of the clinic (defaults and any an admin added through FHIR). */
async function readAll(store: FhirStore, clinic: string): Promise<TVisitType[]> {
  const found = await searchAll(store, CONFIG, 'ActivityDefinition', { _tag: `${ORGANIZATION_TAG_SYSTEM}|${clinic}`, status: 'active' });
  const types = found.map(fromResource).filter((t): t is TVisitType => t !== undefined);
  return types.sort((a, b) => a.code.localeCompare(b.code));
}

export async function visitTypeOf(store: FhirStore, db: Database, clinic: string, code: string, field = 'visitType'): Promise<TVisitType> {
  const t = (await visitTypesOf(store, db, clinic)).find((x) => x.code === code);
  if (!t) throw new CarelineError('bad-request', [{ diagnostics: `The clinic has no visit type "${code}".`, expression: [field] }]);
  return t;
}
