import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJoinToken, withoutToken } from './join-token';

const tokenArb = fc.stringMatching(/^[A-Za-z0-9_-]{20,200}$/);

describe('join token in the fragment', () => {
  it('reads a well-formed token and nothing else', () => {
    fc.assert(
      fc.property(tokenArb, (t) => {
        expect(readJoinToken(`#t=${t}`)).toBe(t);
        expect(readJoinToken(`#x=1&t=${t}`)).toBe(t);
      }),
    );
    expect(readJoinToken('')).toBeUndefined();
    expect(readJoinToken('#t=short')).toBeUndefined();
    expect(readJoinToken('#t=' + 'a'.repeat(201))).toBeUndefined();
    expect(readJoinToken('#t=abc%20def<script>aaaaaaaaaaaaaaaa')).toBeUndefined();
  });

  it('never throws on arbitrary fragments', () => {
    fc.assert(fc.property(fc.string(), (s) => void readJoinToken(s)));
  });

  it('removes the token from the address and keeps the rest', () => {
    fc.assert(
      fc.property(tokenArb, (t) => {
        const clean = withoutToken('/visit/join', '?lang=es', `#t=${t}`);
        expect(clean).toBe('/visit/join?lang=es');
        expect(clean).not.toContain(t);
      }),
    );
    expect(withoutToken('/visit/join', '', '#t=abcabcabcabcabcabcabc&debug=1')).toBe('/visit/join#debug=1');
  });
});
