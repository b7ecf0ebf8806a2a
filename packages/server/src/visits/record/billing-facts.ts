import type { TBillingFacts } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';

/**
 * Billing facts the room records on the Encounter when the visit ends (visits/room/README.md):
 * CMS place of service 02/10 and the CPT telehealth modifier 95/93, as Encounter extensions.
 */
export const PLACE_OF_SERVICE_EXTENSION = 'urn:careline:extension:place-of-service';
export const TELEHEALTH_MODIFIER_EXTENSION = 'urn:careline:extension:telehealth-modifier';
/** The room's StructureDefinition-style URLs (visits/room/billing-facts.ts) are read as well, until one pair is settled. */
const POS_URLS = [PLACE_OF_SERVICE_EXTENSION, 'https://careline.health/fhir/StructureDefinition/place-of-service'];
const MODIFIER_URLS = [TELEHEALTH_MODIFIER_EXTENSION, 'https://careline.health/fhir/StructureDefinition/telehealth-modifier'];

const POS_DISPLAY: Readonly<Record<string, string>> = {
  '02': 'Telehealth provided other than in patient’s home',
  '10': 'Telehealth provided in patient’s home',
};
const MODIFIER_DISPLAY: Readonly<Record<string, string>> = {
  '95': 'Synchronous telemedicine service (audio and video)',
  '93': 'Synchronous telemedicine service (audio only)',
};

function coding(e: FhirResource, urls: readonly string[]): { code: string; display?: string } | undefined {
  const ext = (Array.isArray(e.extension) ? (e.extension as { url?: string; valueCoding?: { code?: string; display?: string } }[]) : []).find((x) => x.url !== undefined && urls.includes(x.url));
  const code = ext?.valueCoding?.code;
  return code ? { code, ...(ext.valueCoding?.display ? { display: ext.valueCoding.display } : {}) } : undefined;
}

export function billingFactsOf(encounter: FhirResource | undefined): TBillingFacts {
  if (!encounter) return {};
  const pos = coding(encounter, POS_URLS);
  const mod = coding(encounter, MODIFIER_URLS);
  return {
    ...(pos ? { placeOfService: { code: pos.code, display: pos.display ?? POS_DISPLAY[pos.code] ?? pos.code } } : {}),
    ...(mod ? { modifier: { code: mod.code, display: mod.display ?? MODIFIER_DISPLAY[mod.code] ?? mod.code } } : {}),
  };
}
