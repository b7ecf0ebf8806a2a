import type { TVisitMode } from '@careline/contracts';

/**
 * Billing facts of a telehealth visit, from what actually happened in the room:
 * - place of service (CMS POS code set): 10 "telehealth provided in patient's home" when the patient
 *   said they were at home, else 02 "telehealth provided other than in patient's home"; a
 *   telepresenter on the patient's side means an originating site, so 02.
 * - CPT modifier: 95 (synchronous audio-video) when anyone was ever on video in audio-video mode,
 *   93 (audio-only) when the visit stayed audio-only throughout. Without any media report the booked
 *   mode decides (audio → 93).
 */
export interface RoomMediaFacts {
  readonly patientAtHome: boolean | null;
  readonly telepresenterSeen: boolean;
  readonly videoSeen: boolean;
  readonly audioOnlySeen: boolean;
  readonly mode: TVisitMode;
}

export interface BillingFacts {
  readonly placeOfService: '02' | '10';
  readonly modifier: '93' | '95';
}

export function billingFacts(f: RoomMediaFacts): BillingFacts {
  const placeOfService = !f.telepresenterSeen && f.patientAtHome === true ? '10' : '02';
  const modifier = f.videoSeen ? '95' : f.audioOnlySeen || f.mode === 'audio' ? '93' : '95';
  return { placeOfService, modifier };
}

export const POS_SYSTEM = 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set';
export const CPT_MODIFIER_SYSTEM = 'http://www.ama-assn.org/go/cpt';
export const POS_EXTENSION = 'https://careline.health/fhir/StructureDefinition/place-of-service';
export const MODIFIER_EXTENSION = 'https://careline.health/fhir/StructureDefinition/telehealth-modifier';

const POS_DISPLAY = { '02': 'Telehealth Provided Other than in Patient’s Home', '10': 'Telehealth Provided in Patient’s Home' } as const;
const MODIFIER_DISPLAY = { '95': 'Synchronous telemedicine service rendered via real-time interactive audio and video', '93': 'Synchronous telemedicine service rendered via telephone or other real-time interactive audio-only system' } as const;

/** The facts as Encounter extensions (documented in room/README.md). */
export function billingExtensions(b: BillingFacts): Record<string, unknown>[] {
  return [
    { url: POS_EXTENSION, valueCoding: { system: POS_SYSTEM, code: b.placeOfService, display: POS_DISPLAY[b.placeOfService] } },
    { url: MODIFIER_EXTENSION, valueCoding: { system: CPT_MODIFIER_SYSTEM, code: b.modifier, display: MODIFIER_DISPLAY[b.modifier] } },
  ];
}
