import type { TNote, TSoap } from '@careline/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { saveNote } from '../../api/record-api';
import { ApiError } from '../../api/http';

export type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'stale' | 'error';

/** How long typing must pause before the draft is saved. */
export const AUTOSAVE_DELAY_MS = 800;

/**
 * The draft under autosave: edits are saved after a pause in typing, one save at a time, each naming
 * the version it builds on. A 412 means someone else saved in between: editing stops ('stale') until
 * the note is reloaded, so nobody overwrites a colleague's words without seeing them.
 */
export function useNoteAutosave(appointmentId: string, note: TNote, onSaved: (note: TNote) => void) {
  const [soap, setSoap] = useState<TSoap>(note.soap);
  const [state, setState] = useState<SaveState>('idle');
  const version = useRef(note.version);
  const latest = useRef(note.soap);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);

  // A reloaded note of another version (not our own save coming back) replaces the local draft.
  useEffect(() => {
    if (note.version === version.current) return;
    version.current = note.version;
    latest.current = note.soap;
    setSoap(note.soap);
    setState('idle');
  }, [note.version, note.soap]);

  const save = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    setState('saving');
    try {
      const sent = latest.current;
      const saved = await saveNote(appointmentId, sent, version.current);
      version.current = saved.version;
      const changedMeanwhile = latest.current !== sent;
      setState(changedMeanwhile ? 'dirty' : 'saved');
      if (!changedMeanwhile) onSaved(saved);
      if (changedMeanwhile) again.current = true;
    } catch (err) {
      again.current = false;
      setState(err instanceof ApiError && (err.code === 'precondition-failed' || err.code === 'note-signed') ? 'stale' : 'error');
    } finally {
      inFlight.current = false;
    }
    if (again.current) {
      again.current = false;
      await save();
    }
  }, [appointmentId, onSaved]);

  const change = useCallback(
    (section: keyof TSoap, text: string) => {
      if (state === 'stale') return;
      const next = { ...latest.current, [section]: text };
      latest.current = next;
      setSoap(next);
      setState('dirty');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
    },
    [save, state],
  );

  /** Saves at once (leaving a field, before signing). */
  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (state === 'dirty') await save();
  }, [save, state]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return { soap, state, change, flush, version: version.current };
}
