import type { TChatMessage } from '@careline/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAT_KEEP, CHAT_MAX, ChatLog, checkChatDraft, mergeChat } from './chat-log';

const FROM = '00000000-0000-4000-8000-000000000001';
const msg = (id: string, second: number): TChatMessage => ({ id, from: FROM, displayName: 'Ana', text: `m${id}`, sentAt: new Date(Date.UTC(2025, 0, 1, 10, 0, second)).toISOString() });

describe('mergeChat', () => {
  it('deduplicates a replayed history and keeps time order', () => {
    const log = mergeChat([], [msg('b', 2), msg('a', 1)]);
    const again = mergeChat(log, [msg('a', 1), msg('c', 3), msg('b', 2)]);
    expect(again.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('is idempotent and order-independent, and bounded', () => {
    const arb = fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), s: fc.integer({ min: 0, max: 59 }) }), { maxLength: 40 });
    fc.assert(
      fc.property(arb, arb, (xs, ys) => {
        // One message per id (ids are unique on the server).
        const seen = new Map<string, TChatMessage>();
        for (const x of [...xs, ...ys]) if (!seen.has(x.id)) seen.set(x.id, msg(x.id, x.s));
        const a = [...seen.values()].filter((m) => xs.some((x) => x.id === m.id));
        const b = [...seen.values()].filter((m) => ys.some((y) => y.id === m.id));
        const ab = mergeChat(mergeChat([], a), b);
        const ba = mergeChat(mergeChat([], b), a);
        expect(ab).toEqual(ba);
        expect(mergeChat(ab, ab)).toEqual(ab);
        expect(ab.length).toBeLessThanOrEqual(CHAT_KEEP);
      }),
    );
  });

  it(`keeps only the newest ${CHAT_KEEP}`, () => {
    const many = Array.from({ length: CHAT_KEEP + 10 }, (_, i) => ({ ...msg(String(i).padStart(4, '0'), 0) }));
    const kept = mergeChat([], many);
    expect(kept).toHaveLength(CHAT_KEEP);
    expect(kept[0]?.id).toBe('0010');
  });
});

describe('chat drafts', () => {
  it('trims, refuses empty and over-long drafts', () => {
    expect(checkChatDraft('  hola  ')).toEqual({ ok: true, text: 'hola' });
    expect(checkChatDraft('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkChatDraft('x'.repeat(CHAT_MAX + 1))).toEqual({ ok: false, reason: 'too-long' });
  });

  it('ChatLog sends through its callback and reports offline', () => {
    const sent: string[] = [];
    let online = true;
    const chat = new ChatLog((t) => (online ? (sent.push(t), true) : false));
    expect(chat.submit(' hi ')).toBe('sent');
    expect(chat.submit('')).toBe('empty');
    online = false;
    expect(chat.submit('again')).toBe('offline');
    expect(sent).toEqual(['hi']);
  });
});
