import { MEDICATION_PICKS, RXNORM, type TPrescription, type TPrescriptionInput } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { displayOf, refOf, searchAll } from './fhir-query.js';
import { requireUnsigned } from './visit-note.js';
import { requireEncounter, requireWriter, selfDisplay, type Visit } from './visit-context.js';

interface MedicationRequestShape {
  medicationCodeableConcept?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string };
  dosageInstruction?: { text?: string }[];
  dispenseRequest?: { quantity?: { value?: number; unit?: string }; numberOfRepeatsAllowed?: number };
  note?: { text?: string }[];
  authoredOn?: string;
  requester?: unknown;
}

export function prescriptionOf(r: FhirResource): TPrescription {
  const m = r as FhirResource & MedicationRequestShape;
  const coding = m.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM);
  const note = m.note?.[0]?.text;
  return {
    id: String(r.id),
    medication: { ...(coding?.code ? { rxnorm: coding.code } : {}), text: m.medicationCodeableConcept?.text ?? coding?.display ?? '' },
    dosage: m.dosageInstruction?.[0]?.text ?? '',
    quantity: { value: m.dispenseRequest?.quantity?.value ?? 0, unit: m.dispenseRequest?.quantity?.unit ?? '' },
    refills: m.dispenseRequest?.numberOfRepeatsAllowed ?? 0,
    ...(note ? { note } : {}),
    authoredOn: String(m.authoredOn ?? r.meta?.lastUpdated),
    prescriber: displayOf(m.requester) ?? refOf(m.requester) ?? '',
  };
}

/** Prescriptions of the visit (removed ones, entered-in-error, are left out). */
export async function listPrescriptions(deps: VisitsDeps, visit: Visit): Promise<TPrescription[]> {
  if (!visit.encounter?.id) return [];
  const found = await searchAll(deps.store, visit.ctx, 'MedicationRequest', [['encounter', `Encounter/${visit.encounter.id}`]]);
  return found.filter((r) => r.status !== 'entered-in-error').map(prescriptionOf).sort((a, b) => a.authoredOn.localeCompare(b.authoredOn));
}

/** The MedicationRequest of one prescription of this visit (for the printable copy); 404 otherwise. */
export async function readPrescription(deps: VisitsDeps, visit: Visit, id: string): Promise<FhirResource> {
  const r = (await deps.store.read(visit.ctx, 'MedicationRequest', id)).resource;
  if (!visit.encounter?.id || refOf(r.encounter) !== `Encounter/${visit.encounter.id}` || r.status === 'entered-in-error') {
    throw new CarelineError('not-found', [{ diagnostics: `MedicationRequest/${id} is not a prescription of this visit.` }]);
  }
  return r;
}

/** A prescription recorded in the chart (no e-prescribing network): printed and handed to the patient. */
export async function addPrescription(deps: VisitsDeps, visit: Visit, input: TPrescriptionInput): Promise<TPrescription> {
  requireWriter(visit);
  const encounter = requireEncounter(visit);
  await requireUnsigned(deps, visit);
  const pick = input.rxnorm === undefined ? undefined : MEDICATION_PICKS.find((p) => p.code === input.rxnorm);
  if (input.rxnorm !== undefined && !pick) {
    throw new CarelineError('validation-failed', [{ diagnostics: `RxNorm ${input.rxnorm} is not in the pick list; enter the medication as text.`, expression: ['rxnorm'] }]);
  }
  const display = await selfDisplay(deps, visit);
  const created = await deps.store.create(visit.ctx, {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { ...(pick ? { coding: [{ system: RXNORM, code: pick.code, display: pick.display }] } : {}), text: input.medicationText ?? pick?.display ?? '' },
    subject: { reference: visit.patient },
    encounter: { reference: `Encounter/${encounter.id}` },
    authoredOn: new Date().toISOString(),
    requester: display ? { reference: visit.self, display } : { reference: visit.self },
    dosageInstruction: [{ text: input.dosage }],
    dispenseRequest: { quantity: { value: input.quantity.value, unit: input.quantity.unit }, numberOfRepeatsAllowed: input.refills },
    ...(input.note ? { note: [{ text: input.note }] } : {}),
  });
  return prescriptionOf(created.resource);
}

/** Removal during the visit: status entered-in-error, history kept. */
export async function removePrescription(deps: VisitsDeps, visit: Visit, id: string): Promise<void> {
  requireWriter(visit);
  await requireUnsigned(deps, visit);
  const current = await deps.store.read(visit.ctx, 'MedicationRequest', id);
  await readPrescription(deps, visit, id);
  await deps.store.update(visit.ctx, 'MedicationRequest', id, { ...current.resource, status: 'entered-in-error' }, { ifMatchVersion: current.versionId });
}
