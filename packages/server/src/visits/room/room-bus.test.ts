import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedInbox } from './room-bus.js';

describe('OrderedInbox', () => {
  it('property: whatever the arrival order, each stream comes out in sequence', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 })).chain(([a, b]) => {
          const items = [...Array.from({ length: a }, (_, i) => ['s1', i + 1] as const), ...Array.from({ length: b }, (_, i) => ['s2', i + 1] as const)];
          // The first of each stream arrives first (the inbox starts a stream at the first it sees).
          const rest = items.filter(([, n]) => n > 1);
          return fc.tuple(fc.constant(a), fc.constant(b), fc.shuffledSubarray(rest, { minLength: rest.length, maxLength: rest.length }));
        }),
        ([a, b, rest]) => {
        const out: string[] = [];
        const inbox = new OrderedInbox<string>((x) => out.push(x));
        for (const [s, n] of [['s1', 1] as const, ['s2', 1] as const, ...rest]) inbox.push(s, n, `${s}:${String(n)}`);
        inbox.close();
        expect(out.filter((x) => x.startsWith('s1:'))).toEqual(Array.from({ length: a }, (_, i) => `s1:${String(i + 1)}`));
        expect(out.filter((x) => x.startsWith('s2:'))).toEqual(Array.from({ length: b }, (_, i) => `s2:${String(i + 1)}`));
        },
      ),
    );
  });

  it('skips a gap that is never filled after the wait', async () => {
    const out: number[] = [];
    const inbox = new OrderedInbox<number>((x) => out.push(x), 20);
    inbox.push('s', 1, 1);
    inbox.push('s', 3, 3);
    expect(out).toEqual([1]);
    await new Promise((r) => setTimeout(r, 60));
    expect(out).toEqual([1, 3]);
    inbox.push('s', 2, 2); // late: still delivered
    expect(out).toEqual([1, 3, 2]);
    inbox.close();
  });
});
