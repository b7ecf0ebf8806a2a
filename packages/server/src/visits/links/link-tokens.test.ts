import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashJoinToken, JOIN_TOKEN_PATTERN, joinWindow, newJoinToken, newTicket, TICKET_PATTERN, windowState } from './link-tokens.js';

describe('join-link tokens', () => {
  it('carry 256 random bits in base64url and are stored as SHA-256 hex', () => {
    const t = newJoinToken();
    expect(t).toMatch(JOIN_TOKEN_PATTERN);
    expect(Buffer.from(t.slice(3), 'base64url')).toHaveLength(32);
    expect(hashJoinToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashJoinToken(t)).not.toContain(t.slice(3, 20));
    expect(newTicket()).toMatch(TICKET_PATTERN);
    expect(new Set(Array.from({ length: 200 }, newJoinToken)).size).toBe(200);
  });
});

describe('join window', () => {
  it('opens early minutes before the start and closes late minutes after the end', () => {
    const w = joinWindow(new Date('2026-03-08T10:00:00Z'), new Date('2026-03-08T10:30:00Z'), 15, 30);
    expect(w.validFrom.toISOString()).toBe('2026-03-08T09:45:00.000Z');
    expect(w.validUntil.toISOString()).toBe('2026-03-08T11:00:00.000Z');
    expect(windowState(w, new Date('2026-03-08T09:44:59.999Z'))).toBe('not-open');
    expect(windowState(w, new Date('2026-03-08T09:45:00Z'))).toBe('open');
    expect(windowState(w, new Date('2026-03-08T10:59:59.999Z'))).toBe('open');
    expect(windowState(w, new Date('2026-03-08T11:00:00Z'))).toBe('expired');
  });

  it('property: the state is monotone in time and the slot itself is always open', () => {
    const order = { 'not-open': 0, open: 1, expired: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 60_000, max: 86_400_000 }),
        fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: -86_400_000, max: 86_400_000 }), fc.integer({ min: 0, max: 86_400_000 }),
        (start, length, early, late, offset, step) => {
          const s = new Date(start);
          const e = new Date(start + length);
          const w = joinWindow(s, e, early, late);
          const t1 = new Date(start + offset);
          const t2 = new Date(start + offset + step);
          expect(order[windowState(w, t1)]).toBeLessThanOrEqual(order[windowState(w, t2)]);
          expect(windowState(w, s)).toBe('open');
          expect(windowState(w, new Date(e.getTime() - 1))).toBe('open');
          expect(w.validUntil.getTime() - w.validFrom.getTime()).toBe(length + (early + late) * 60_000);
        },
      ),
    );
  });
});
