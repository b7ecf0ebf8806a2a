import type { AccessContext, FhirStore } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AlertRow } from '../storage/alert-repository.js';
import type { TAlertNote } from './alert-notes.types.js';

interface Annotation {
  readonly text?: unknown;
  readonly time?: unknown;
  readonly authorReference?: { readonly reference?: unknown };
  readonly authorString?: unknown;
}

/** A Task's notes (FHIR Annotation) in the shape the console shows; anything malformed is skipped. */
export function notesOf(task: Record<string, unknown>): TAlertNote[] {
  const notes = Array.isArray(task.note) ? (task.note as unknown[]) : [];
  return notes.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const n = entry as Annotation;
    if (typeof n.text !== 'string') return [];
    const ref = typeof n.authorReference === 'object' && n.authorReference !== null ? n.authorReference.reference : undefined;
    const author = typeof ref === 'string' ? ref : typeof n.authorString === 'string' ? n.authorString : null;
    return [{ text: n.text, author, time: typeof n.time === 'string' ? n.time : null }];
  });
}

const taskOf = (alert: AlertRow): string => {
  if (!alert.task_id) throw new CarelineError('not-found', [{ diagnostics: `Alert ${alert.id} has no task to hold notes yet.` }]);
  return alert.task_id;
};

/** Reads the alert's notes with the caller's own access (the read is audited by the store). */
export async function listAlertNotes(store: FhirStore, ctx: AccessContext, alert: AlertRow): Promise<TAlertNote[]> {
  const task = await store.read(ctx, 'Task', taskOf(alert));
  return notesOf(task.resource);
}

const ATTEMPTS = 3;

/**
 * Appends a note to the alert's Task as a FHIR Annotation written with the caller's own access
 * context, so the policy decides (care-team clinicians, nurses, specialists may update Task) and the
 * store audits the update as theirs in the same statement. The patch carries If-Match on the version
 * read: two people writing at once both keep their note (the loser re-reads and appends again).
 */
export async function addAlertNote(store: FhirStore, ctx: AccessContext, user: UserPrincipal, alert: AlertRow, text: string, now = new Date()): Promise<TAlertNote[]> {
  const id = taskOf(alert);
  const author = user.fhirUser?.startsWith('Practitioner/') ? { authorReference: { reference: user.fhirUser } } : { authorString: `User/${user.accountId}` };
  const note = { ...author, time: now.toISOString(), text: text.trim() };
  for (let attempt = 1; ; attempt++) {
    const current = await store.read(ctx, 'Task', id);
    const has = Array.isArray((current.resource as { note?: unknown }).note);
    const op = has ? { op: 'add', path: '/note/-', value: note } : { op: 'add', path: '/note', value: [note] };
    try {
      const saved = await store.patch(ctx, 'Task', id, [op], { ifMatchVersion: current.versionId });
      return notesOf(saved.resource);
    } catch (err) {
      if (!(err instanceof CarelineError) || err.code !== 'precondition-failed' || attempt >= ATTEMPTS) throw err;
    }
  }
}
