import { randomUUID } from 'node:crypto';
import type { TVitalEvent } from '@careline/contracts';
import type { FhirChange, FhirResource } from '../../fhir/index.js';
import { hasRole } from '../../identity/index.js';
import { BP_PANEL, KINDS, LOINC, UCUM, type KindName, type VitalKind } from '../../monitoring/ingest/vital-kinds.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { roomBroadcastTopic, type RoomBroadcast } from '../visit-ports.js';
import type { VisitsDeps } from '../visits-deps.js';
import { refOf, searchAll } from './fhir-query.js';
import { parseVitals, type VisitReading, type VitalsInput } from './vitals-input.js';
import { requireEncounter, type Visit } from './visit-context.js';

const VITAL_SIGNS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const BP_LABEL = 'Blood pressure';

const quantity = (k: VitalKind, value: number): Record<string, unknown> => ({ value, unit: k.unit, system: UCUM, code: k.ucum });

/** A vital-signs Observation of the visit (LOINC code, UCUM quantity, encounter, performer). */
export function vitalObservation(r: VisitReading, f: { patient: string; encounterId: string; performer: string; now: Date }): FhirResource {
  const base = {
    resourceType: 'Observation',
    status: 'final',
    category: VITAL_SIGNS,
    subject: { reference: f.patient },
    encounter: { reference: `Encounter/${f.encounterId}` },
    effectiveDateTime: f.now.toISOString(),
    issued: f.now.toISOString(),
    performer: [{ reference: f.performer }],
  };
  if (r.kind === 'blood-pressure') {
    const component = (['systolic', 'diastolic'] as const).map((name) => ({
      code: { coding: [{ system: LOINC, code: KINDS[name].code, display: KINDS[name].display }] },
      valueQuantity: quantity(KINDS[name], r.values[name] ?? NaN),
    }));
    return { ...base, code: { coding: [{ system: LOINC, ...BP_PANEL }], text: BP_LABEL }, component };
  }
  const k: VitalKind = KINDS[r.kind];
  return { ...base, code: { coding: [{ system: LOINC, code: k.code, display: k.display }], text: k.display }, valueQuantity: quantity(k, r.values[r.kind] ?? NaN) };
}

const LABELS: Readonly<Record<string, string>> = {
  [BP_PANEL.code]: BP_LABEL, [KINDS['heart-rate'].code]: 'Heart rate', [KINDS.spo2.code]: 'Oxygen saturation', [KINDS.temperature.code]: 'Temperature',
  [KINDS.weight.code]: 'Weight', [KINDS['respiratory-rate'].code]: 'Respiratory rate',
};
const UNIT_TEXT: Readonly<Record<string, string>> = { 'mm[Hg]': 'mmHg', '/min': '/min', '%': '%', Cel: '°C', kg: 'kg' };

interface QuantityShape { value?: number; code?: string }
const formatQuantity = (q: QuantityShape | undefined): string => (q?.value === undefined ? '' : `${String(q.value)} ${UNIT_TEXT[q.code ?? ''] ?? q.code ?? ''}`.trim());

/** The live event shown to the room (and listed in the record): "128/82 mmHg", "98 %"… */
export function vitalEventOf(o: FhirResource): TVitalEvent {
  const code = (o.code as { coding?: { code?: string; display?: string }[] } | undefined)?.coding?.[0];
  const components = Array.isArray(o.component) ? (o.component as { valueQuantity?: QuantityShape }[]) : [];
  const value =
    code?.code === BP_PANEL.code
      ? `${String(components[0]?.valueQuantity?.value ?? '')}/${String(components[1]?.valueQuantity?.value ?? '')} mmHg`
      : formatQuantity(o.valueQuantity as QuantityShape | undefined);
  return {
    observation: `Observation/${String(o.id)}`,
    code: code?.code ?? '',
    label: LABELS[code?.code ?? ''] ?? code?.display ?? '',
    value,
    effective: typeof o.effectiveDateTime === 'string' ? o.effectiveDateTime : String(o.meta?.lastUpdated),
  };
}

const VISIT_CODES = new Set<string>([BP_PANEL.code, ...(['heart-rate', 'spo2', 'temperature', 'weight', 'respiratory-rate'] as KindName[]).map((k) => KINDS[k].code)]);

/** Vitals recorded during the visit, newest first. */
export async function listVitals(deps: VisitsDeps, visit: Visit): Promise<TVitalEvent[]> {
  if (!visit.encounter?.id) return [];
  const found = await searchAll(deps.store, visit.ctx, 'Observation', [['encounter', `Encounter/${visit.encounter.id}`], ['category', 'vital-signs']]);
  return found
    .filter((o) => o.status !== 'entered-in-error' && VISIT_CODES.has((o.code as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code ?? ''))
    .map(vitalEventOf)
    .sort((a, b) => b.effective.localeCompare(a.effective));
}

/**
 * Vitals taken during the visit by the telepresenter on the patient's side (a participant of the
 * in-progress Encounter) or by the clinician. Stored in one transaction with the caller's own access,
 * then announced to the room's admitted participants.
 */
export async function recordVitals(deps: VisitsDeps, visit: Visit, input: VitalsInput): Promise<TVitalEvent[]> {
  const encounter = requireEncounter(visit);
  const participants = (Array.isArray(encounter.participant) ? encounter.participant : []).map((p: unknown) => refOf((p as { individual?: unknown }).individual));
  const telepresenter = hasRole(visit.user, 'telepresenter') && visit.self !== undefined && participants.includes(visit.self);
  if (!visit.self || !(visit.canWrite || telepresenter)) {
    throw new CarelineError('forbidden', [{ diagnostics: "Only the visit's telepresenter or clinician may record vitals." }]);
  }
  if (encounter.status !== 'in-progress') throw new CarelineError('visit-not-in-progress', [{ diagnostics: `Encounter/${encounter.id} is ${String(encounter.status)}.` }]);
  const now = new Date();
  const { readings, problems } = parseVitals(input, now);
  if (problems.length > 0) throw new CarelineError('validation-failed', problems.map((p) => ({ diagnostics: p.message, expression: [p.expression] })));
  const facts = { patient: visit.patient, encounterId: encounter.id, performer: visit.self, now };
  const { store } = deps;
  const stored = await deps.platform.db.transaction(async (tx) => {
    const prepared = readings.map((r) => store.prepareCreate(visit.ctx, store.validate(vitalObservation(r, facts)), randomUUID(), now));
    return store.insertPrepared(prepared, tx);
  });
  const changes: FhirChange[] = stored.map((v) => ({ resourceType: 'Observation', id: String(v.resource.id), versionId: v.versionId, method: 'POST', compartments: v.compartments ?? [] }));
  for (const c of changes) store.publish(c);
  const events = stored.map((v) => vitalEventOf(v.resource));
  for (const vital of events) {
    const message: RoomBroadcast = { type: 'vitals', vital };
    await deps.platform.bus.publish(roomBroadcastTopic(visit.appointmentId), message);
  }
  return events;
}
