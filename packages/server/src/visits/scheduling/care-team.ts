import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirResource, type FhirStore, type VersionedResource } from '../../fhir/index.js';
import type { Queryable } from '../../platform/db/database.js';
import { searchAll } from './fhir-query.js';

/** The server keeps care teams in step with bookings (no user reads anything through this). */
const CARE_TEAMS = systemContext('visits-care-team');

interface Participant {
  readonly member?: { readonly reference?: string };
}

/**
 * Booking a visit with a practitioner makes them part of the patient's care in that clinic: the
 * visit's clinician must read the chart and write the note, and the access policy lets clinicians
 * reach the patients on whose CareTeam they are (identity/access README). So the booking adds them
 * to the patient's active CareTeam of that clinic, or starts one, in the booking's own transaction.
 * Returns the written CareTeam (for the caller to publish after commit), or undefined when they were on it.
 */
export async function ensureOnCareTeam(store: FhirStore, tx: Queryable, patient: string, practitioner: string, clinic: string): Promise<{ written: VersionedResource; method: 'POST' | 'PUT' } | undefined> {
  const teams = await searchAll(store, CARE_TEAMS, 'CareTeam', { subject: patient, status: 'active', _tag: `${ORGANIZATION_TAG_SYSTEM}|${clinic}` }, tx);
  const members = (t: FhirResource): Participant[] => (Array.isArray(t.participant) ? (t.participant as Participant[]) : []);
  if (teams.some((t) => members(t).some((p) => p.member?.reference === practitioner))) return undefined;
  const joining = { member: { reference: practitioner }, role: [{ text: 'Visit clinician' }], period: { start: new Date().toISOString() } };
  const team = teams[0];
  if (team) {
    const { result } = await store.update(CARE_TEAMS, 'CareTeam', String(team.id), { ...team, participant: [...members(team), joining] }, {}, tx);
    return { written: result, method: 'PUT' };
  }
  const written = await store.create(
    CARE_TEAMS,
    {
      resourceType: 'CareTeam',
      status: 'active',
      name: 'Care team',
      subject: { reference: patient },
      participant: [joining],
      meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: clinic }] },
    },
    tx,
  );
  return { written, method: 'POST' };
}
