import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notesOf } from './alert-notes.js';

describe('notesOf', () => {
  it('reads Annotations with a reference or string author', () => {
    expect(
      notesOf({ note: [{ text: 'a', time: '2026-12-01T10:00:00Z', authorReference: { reference: 'Practitioner/p' } }, { text: 'b', authorString: 'User/u' }, { time: 'x' }] }),
    ).toEqual([
      { text: 'a', author: 'Practitioner/p', time: '2026-12-01T10:00:00Z' },
      { text: 'b', author: 'User/u', time: null },
    ]);
  });

  it('never throws, and keeps exactly the entries whose text is a string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.record({ text: fc.oneof(fc.string(), fc.integer()), authorReference: fc.anything() }, { requiredKeys: [] }))), (note) => {
        const out = notesOf({ note });
        const expected = Array.isArray(note) ? note.filter((n: unknown) => typeof (n as { text?: unknown } | null)?.text === 'string').length : 0;
        expect(out).toHaveLength(expected);
        for (const n of out) expect(typeof n.text).toBe('string');
      }),
    );
  });
});
