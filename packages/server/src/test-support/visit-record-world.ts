import { ORGANIZATION_TAG_SYSTEM } from '../fhir/index.js';
import { PLACE_OF_SERVICE_EXTENSION, TELEHEALTH_MODIFIER_EXTENSION } from '../visits/record/billing-facts.js';

/** What the fixture needs of test-support's AccessWorld (typed structurally: test-support is outside the build). */
interface SeedWriter {
  put(r: Record<string, unknown>): Promise<void>;
}
const tagged = (org: string, r: Record<string, unknown>): Record<string, unknown> => ({ ...r, meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: org }] } });

/**
 * Tests only. Visits on top of the access world (tests only): appt-1 (pa with dr-1) admitted — an in-progress
 * Encounter as the room makes it, with tp-1 as telepresenter — and appt-2 (pa with dr-1) not started.
 */
export const APPT = 'appt-1';
export const ENC = 'enc-appt-1';
export const NOT_STARTED = 'appt-2';
export const SOAP = { subjective: 'Cough for 3 days, <no> fever & "tired".', objective: 'Alert.\nBP see vitals.', assessment: 'Viral URI', plan: 'Rest, fluids.\nReturn if worse.' };

const appointment = (id: string): Record<string, unknown> =>
  tagged('org-1', {
    resourceType: 'Appointment', id, status: 'arrived', start: '2030-01-07T15:00:00Z', end: '2030-01-07T15:20:00Z',
    participant: [
      { actor: { reference: 'Patient/pa', display: 'Pat Alvarez' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/dr-1', display: 'Dr. Ana One' }, status: 'accepted' },
    ],
  });

export function encounter(status: 'in-progress' | 'finished', billing = false): Record<string, unknown> {
  return tagged('org-1', {
    resourceType: 'Encounter', id: ENC, status, class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
    appointment: [{ reference: `Appointment/${APPT}` }], subject: { reference: 'Patient/pa' },
    participant: [{ individual: { reference: 'Practitioner/dr-1' } }, { individual: { reference: 'Practitioner/tp-1' } }],
    period: { start: '2030-01-07T15:02:00Z', ...(status === 'finished' ? { end: '2030-01-07T15:19:00Z' } : {}) },
    ...(billing
      ? {
          extension: [
            { url: PLACE_OF_SERVICE_EXTENSION, valueCoding: { system: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes', code: '10' } },
            { url: TELEHEALTH_MODIFIER_EXTENSION, valueCoding: { system: 'http://www.ama-assn.org/go/cpt', code: '95' } },
          ],
        }
      : {}),
  });
}

export async function seedVisits(w: SeedWriter): Promise<void> {
  await w.put(appointment(APPT));
  await w.put(appointment(NOT_STARTED));
  await w.put(encounter('in-progress'));
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export const json = <T>(res: { body: string }): T => JSON.parse(res.body) as T;
