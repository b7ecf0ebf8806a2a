import { randomUUID } from 'node:crypto';
import type { TNote, TSoap } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { refOf, searchAll } from './fhir-query.js';
import {
  AMENDMENT_ID_SYSTEM, NOTE_ID_SYSTEM, amendmentComposition, amendmentOf, draftComposition, identifierSystem, signedComposition, signerOf, soapOf,
  type NoteFacts,
} from './note-composition.js';
import { requireEncounter, requireWriter, selfDisplay, type Visit } from './visit-context.js';

export interface NoteDocuments {
  readonly main: FhirResource | undefined;
  /** Oldest first. */
  readonly amendments: readonly FhirResource[];
}

/** The visit's note and its amendments, as far as the caller may read them. */
export async function noteDocuments(deps: VisitsDeps, visit: Visit): Promise<NoteDocuments> {
  if (!visit.encounter?.id) return { main: undefined, amendments: [] };
  const encounterId = visit.encounter.id;
  const all = await searchAll(deps.store, visit.ctx, 'Composition', [['encounter', `Encounter/${encounterId}`]]);
  const main = all.find((c) => identifierSystem(c) === NOTE_ID_SYSTEM && (c.identifier as { value?: string }).value === encounterId);
  const appends = (c: FhirResource): boolean =>
    Array.isArray(c.relatesTo) && c.relatesTo.some((r: unknown) => (r as { code?: string }).code === 'appends' && refOf((r as { targetReference?: unknown }).targetReference) === `Composition/${String(main?.id)}`);
  const amendments = main ? all.filter((c) => identifierSystem(c) === AMENDMENT_ID_SYSTEM && appends(c)) : [];
  amendments.sort((a, b) => String(a.date).localeCompare(String(b.date)));
  return { main, amendments };
}

export function noteView(visit: Visit, docs: NoteDocuments): TNote {
  const { main } = docs;
  const signed = main?.status === 'final';
  const signer = main && signed ? signerOf(main) : {};
  return {
    appointmentId: visit.appointmentId,
    ...(main ? { composition: `Composition/${String(main.id)}`, updatedAt: String(main.meta?.lastUpdated) } : {}),
    status: signed ? 'signed' : 'draft',
    version: main ? Number(main.meta?.versionId ?? 0) : 0,
    soap: soapOf(main),
    ...(signer.at ? { signedAt: signer.at } : {}),
    ...(signer.by ? { signedBy: signer.by } : {}),
    amendments: docs.amendments.map(amendmentOf),
    canWrite: visit.canWrite,
  };
}

export async function getNote(deps: VisitsDeps, visit: Visit): Promise<TNote> {
  return noteView(visit, await noteDocuments(deps, visit));
}

async function facts(deps: VisitsDeps, visit: Visit & { readonly self: string }, encounterId: string): Promise<NoteFacts> {
  return { encounterId, patient: visit.patient, author: visit.self, authorDisplay: await selfDisplay(deps, visit), now: new Date() };
}

const signedError = (visit: Visit): CarelineError =>
  new CarelineError('note-signed', [{ diagnostics: `The note of Appointment/${visit.appointmentId} is signed.`, expression: ['soap'] }]);

/**
 * Autosave of the draft. `version` is the Composition version the editor last saw (0: none yet):
 * a save based on an older version is refused (412), so two editors never silently overwrite each
 * other (https://hl7.org/fhir/R4/http.html#concurrency).
 */
export async function saveNote(deps: VisitsDeps, visit: Visit, soap: TSoap, version: number | undefined): Promise<TNote> {
  requireWriter(visit);
  const encounter = requireEncounter(visit);
  const { main, amendments } = await noteDocuments(deps, visit);
  const f = await facts(deps, visit, encounter.id);
  if (!main) {
    if (version !== undefined && version !== 0) throw stale(version, 'none');
    // Conditional on the note identifier: two first saves racing create one note; the loser is told to reload.
    const { result, created } = await deps.store.conditionalCreate(visit.ctx, draftComposition(soap, f), `identifier=${NOTE_ID_SYSTEM}|${encounter.id}`);
    if (!created) throw stale(0, result.versionId);
    return noteView(visit, { main: result.resource, amendments });
  }
  if (main.status === 'final') throw signedError(visit);
  const current = Number(main.meta?.versionId ?? 0);
  if (version === undefined) {
    throw new CarelineError('precondition-failed', [{ diagnostics: `Send the version of the note you last saw (If-Match or version); the current one is ${current}.`, expression: ['version'] }]);
  }
  const next = { ...draftComposition(soap, f, main), id: main.id };
  const result = await updateGuarded(deps, visit, String(main.id), next, version);
  return noteView(visit, { main: result, amendments });
}

function stale(sent: number, current: number | string): CarelineError {
  return new CarelineError('precondition-failed', [{ diagnostics: `The note changed since version ${sent} (now ${current}); reload it before saving.`, expression: ['version'] }]);
}

/** An update under If-Match; when it loses to a signature, the answer is note-signed rather than a bare 412. */
async function updateGuarded(deps: VisitsDeps, visit: Visit, id: string, next: FhirResource, version: number): Promise<FhirResource> {
  try {
    return (await deps.store.update(visit.ctx, 'Composition', id, next, { ifMatchVersion: version })).result.resource;
  } catch (err) {
    if (err instanceof CarelineError && err.code === 'precondition-failed') {
      const now = (await deps.store.read(visit.ctx, 'Composition', id)).resource;
      if (now.status === 'final') throw signedError(visit);
    }
    throw err;
  }
}

/** Signing locks the note: status final with a legal attester. `version`, when sent, must be the one the signer read. */
export async function signNote(deps: VisitsDeps, visit: Visit, version: number | undefined): Promise<TNote> {
  requireWriter(visit);
  requireEncounter(visit);
  const { main, amendments } = await noteDocuments(deps, visit);
  if (!main) throw new CarelineError('conflict', [{ diagnostics: 'There is no note to sign yet; write and save it first.' }]);
  if (main.status === 'final') throw signedError(visit);
  const current = Number(main.meta?.versionId ?? 0);
  if (version !== undefined && version !== current) throw stale(version, current);
  const signed = signedComposition(main, visit.self, await selfDisplay(deps, visit), new Date());
  const result = await updateGuarded(deps, visit, String(main.id), signed, current);
  return noteView(visit, { main: result, amendments });
}

/**
 * An amendment never touches the signed note: it is a new final Composition that `appends` it, so
 * the signed text stays byte-identical and every later word carries its own author and time.
 */
export async function amendNote(deps: VisitsDeps, visit: Visit, text: string): Promise<TNote> {
  requireWriter(visit);
  const encounter = requireEncounter(visit);
  const { main, amendments } = await noteDocuments(deps, visit);
  if (main?.status !== 'final') throw new CarelineError('conflict', [{ diagnostics: 'Amendments are for signed notes; edit the draft instead.', expression: ['text'] }]);
  const f = await facts(deps, visit, encounter.id);
  const created = await deps.store.create(visit.ctx, amendmentComposition(String(main.id), text, f, randomUUID()));
  return noteView(visit, { main, amendments: [...amendments, created.resource] });
}

/** The note must still be a draft for diagnoses and prescriptions to change: signing locks the record. */
export async function requireUnsigned(deps: VisitsDeps, visit: Visit): Promise<void> {
  const { main } = await noteDocuments(deps, visit);
  if (main?.status === 'final') throw signedError(visit);
}
