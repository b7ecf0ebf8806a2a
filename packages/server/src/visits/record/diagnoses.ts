import { DIAGNOSIS_PICKS, SNOMED, type TDiagnosis, type TDiagnosisInput } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { refOf, searchAll } from './fhir-query.js';
import { requireUnsigned } from './visit-note.js';
import { requireEncounter, requireWriter, type Visit } from './visit-context.js';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

const verification = (code: string): unknown => ({ coding: [{ system: VERIFICATION, code }] });
const isRemoved = (c: FhirResource): boolean => (c.verificationStatus as { coding?: { code?: string }[] } | undefined)?.coding?.some((x) => x.code === 'entered-in-error') === true;

export function diagnosisOf(c: FhirResource): TDiagnosis {
  const code = c.code as { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined;
  const coding = code?.coding?.find((x) => x.system === SNOMED && x.code);
  return {
    id: String(c.id),
    ...(coding?.code ? { code: { system: SNOMED, code: coding.code, display: coding.display ?? coding.code } } : {}),
    text: code?.text ?? coding?.display ?? '',
    recordedAt: typeof c.recordedDate === 'string' ? c.recordedDate : String(c.meta?.lastUpdated),
  };
}

/** Encounter diagnoses of the visit (removed ones, marked entered-in-error, are left out). */
export async function listDiagnoses(deps: VisitsDeps, visit: Visit): Promise<TDiagnosis[]> {
  if (!visit.encounter?.id) return [];
  const found = await searchAll(deps.store, visit.ctx, 'Condition', [['encounter', `Encounter/${visit.encounter.id}`], ['category', `${CATEGORY}|encounter-diagnosis`]]);
  return found.filter((c) => !isRemoved(c)).map(diagnosisOf).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

/** A diagnosis from the SNOMED CT pick list (optionally reworded) or as free text. */
export async function addDiagnosis(deps: VisitsDeps, visit: Visit, input: TDiagnosisInput): Promise<TDiagnosis> {
  requireWriter(visit);
  const encounter = requireEncounter(visit);
  await requireUnsigned(deps, visit);
  const pick = input.snomed === undefined ? undefined : DIAGNOSIS_PICKS.find((p) => p.code === input.snomed);
  if (input.snomed !== undefined && !pick) {
    throw new CarelineError('validation-failed', [{ diagnostics: `SNOMED CT ${input.snomed} is not in the pick list; enter the diagnosis as text.`, expression: ['snomed'] }]);
  }
  const text = input.text ?? pick?.display ?? '';
  const created = await deps.store.create(visit.ctx, {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] },
    verificationStatus: verification('confirmed'),
    category: [{ coding: [{ system: CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: { ...(pick ? { coding: [{ system: SNOMED, code: pick.code, display: pick.display }] } : {}), text },
    subject: { reference: visit.patient },
    encounter: { reference: `Encounter/${encounter.id}` },
    recordedDate: new Date().toISOString(),
    recorder: { reference: visit.self },
  });
  return diagnosisOf(created.resource);
}

/**
 * Removing keeps the history: the Condition is marked entered-in-error (and, per invariant con-5,
 * loses its clinical status) rather than deleted.
 */
export async function removeDiagnosis(deps: VisitsDeps, visit: Visit, id: string): Promise<void> {
  requireWriter(visit);
  const encounter = requireEncounter(visit);
  await requireUnsigned(deps, visit);
  const current = await deps.store.read(visit.ctx, 'Condition', id);
  if (refOf(current.resource.encounter) !== `Encounter/${encounter.id}`) throw new CarelineError('not-found', [{ diagnostics: `Condition/${id} is not a diagnosis of this visit.` }]);
  if (isRemoved(current.resource)) return;
  const { clinicalStatus: _dropped, ...rest } = current.resource;
  await deps.store.update(visit.ctx, 'Condition', id, { ...rest, verificationStatus: verification('entered-in-error') }, { ifMatchVersion: current.versionId });
}
