import type { TAfterVisitSummary, TFollowUp, TSummaryList } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { listDiagnoses } from './diagnoses.js';
import { displayOf, refOf, searchAll } from './fhir-query.js';
import { NOTE_ID_SYSTEM, amendmentOf, identifierSystem, signerOf, soapOf } from './note-composition.js';
import { listPrescriptions } from './prescriptions.js';
import { listVitals } from './record-vitals.js';
import { isPatientSide, type Visit } from './visit-context.js';
import { noteDocuments } from './visit-note.js';
import type { AccessContext, FhirStore } from '../../fhir/index.js';

const notReady = (visit: Visit): CarelineError => new CarelineError('not-found', [{ diagnostics: `The summary of Appointment/${visit.appointmentId} is not available yet.` }]);

/** The start of the visit: admitted (Encounter.period.start), else the booked time. */
export function visitDate(visit: Visit): string {
  const period = visit.encounter?.period as { start?: string } | undefined;
  const start = period?.start ?? visit.appointment.start;
  return typeof start === 'string' ? start : String(visit.appointment.meta?.lastUpdated);
}

/**
 * What the patient takes home once the clinician has signed: when and with whom, the plan, the
 * diagnoses in words, prescriptions, vitals taken and any follow-up. Before signing it does not exist
 * for the patient's side (404); staff who may read the note see a preview marked unsigned.
 */
export async function afterVisitSummary(deps: VisitsDeps, visit: Visit): Promise<TAfterVisitSummary> {
  const docs = await noteDocuments(deps, visit);
  const main = docs.main;
  const signed = main?.status === 'final';
  if (!main || (!signed && isPatientSide(visit.user))) throw notReady(visit);
  const [diagnoses, prescriptions, vitals, followUp] = await Promise.all([listDiagnoses(deps, visit), listPrescriptions(deps, visit), listVitals(deps, visit), followUps(deps, visit)]);
  const author = Array.isArray(main.author) ? (main.author[0] as unknown) : undefined;
  const signer = signerOf(main);
  return {
    appointmentId: visit.appointmentId,
    date: visitDate(visit),
    clinician: visit.practitionerDisplay ?? displayOf(author) ?? '',
    signed,
    ...(signed && signer.at ? { signedAt: signer.at } : {}),
    plan: soapOf(main).plan,
    amendments: docs.amendments.map(amendmentOf),
    diagnoses: diagnoses.map((d) => d.text),
    prescriptions,
    vitals,
    followUp,
  };
}

/**
 * Follow-up asked for at the end of the visit (visits/scheduling): a booking Task based on this
 * appointment (code `book-follow-up`), or an Appointment booked directly that names this one as
 * supporting information.
 */
async function followUps(deps: VisitsDeps, visit: Visit): Promise<TFollowUp[]> {
  const origin = `Appointment/${visit.appointmentId}`;
  const [tasks, booked] = await Promise.all([
    searchAll(deps.store, visit.ctx, 'Task', [['based-on', origin]], 20),
    searchAll(deps.store, visit.ctx, 'Appointment', [['supporting-info', origin]], 20),
  ]);
  const isFollowUp = (t: FhirResource): boolean => (t.code as { coding?: { code?: string }[] } | undefined)?.coding?.some((c) => c.code === 'book-follow-up') === true;
  const out: TFollowUp[] = tasks.filter(isFollowUp).map((t) => {
    const period = (t.restriction as { period?: { start?: string; end?: string } } | undefined)?.period;
    const note = (Array.isArray(t.note) ? (t.note[0] as { text?: string } | undefined) : undefined)?.text ?? (typeof t.description === 'string' ? t.description : undefined);
    return { kind: 'task', status: String(t.status), ...(period?.start ? { from: period.start } : {}), ...(period?.end ? { to: period.end } : {}), ...(note ? { note } : {}) };
  });
  for (const a of booked) {
    if (a.status === 'cancelled' || a.status === 'entered-in-error') continue;
    out.push({ kind: 'appointment', status: String(a.status), ...(typeof a.start === 'string' ? { start: a.start } : {}) });
  }
  return out;
}

/** The patient's signed visit notes, newest first (the portal's list of after-visit summaries). */
export async function listSummaries(store: FhirStore, ctx: AccessContext, patient: string): Promise<TSummaryList> {
  const notes = (await searchAll(store, ctx, 'Composition', [['subject', patient], ['status', 'final'], ['type', 'http://loinc.org|11506-3']])).filter(
    (c) => identifierSystem(c) === NOTE_ID_SYSTEM,
  );
  const encounterIds = notes.map((c) => refOf(c.encounter)?.slice('Encounter/'.length)).filter((id): id is string => id !== undefined);
  if (encounterIds.length === 0) return { summaries: [] };
  const encounters = await searchAll(store, ctx, 'Encounter', [['_id', encounterIds.join(',')]]);
  const summaries = encounters.flatMap((e) => {
    const appointment = (Array.isArray(e.appointment) ? (e.appointment as unknown[]) : []).map(refOf).find((r) => r?.startsWith('Appointment/'));
    if (!appointment) return [];
    const note = notes.find((c) => refOf(c.encounter) === `Encounter/${String(e.id)}`);
    const author = note && Array.isArray(note.author) ? (note.author[0] as unknown) : undefined;
    const start = (e.period as { start?: string } | undefined)?.start ?? String(note?.date);
    return [{ appointmentId: appointment.slice('Appointment/'.length), date: start, clinician: displayOf(author) ?? '' }];
  });
  return { summaries: summaries.sort((a, b) => b.date.localeCompare(a.date)) };
}

/** The patient a portal caller asks about: themselves, or (a caregiver) the patient they name; 404 otherwise. */
export async function portalPatientOf(store: FhirStore, ctx: AccessContext, user: UserPrincipal, named: string | undefined): Promise<string> {
  const self = user.fhirUser?.startsWith('Patient/') ? user.fhirUser : undefined;
  const patient = named ?? self;
  if (!patient || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(patient)) throw new CarelineError('not-found', [{ diagnostics: 'Nothing is here.' }]);
  await store.read(ctx, 'Patient', patient.slice('Patient/'.length));
  return patient;
}
