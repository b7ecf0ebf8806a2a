import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZLoginBody } from '../use-cases/login.types.js';
import { checkPassword, PASSWORD_MAX, PASSWORD_MIN } from './password-policy.js';
import { csrfTokenFor, newRecoveryCode, newToken, normaliseRecoveryCode, parseToken } from './tokens.js';

describe('token formats', () => {
  it('accepts every token we issue and nothing that differs in shape', () => {
    for (let i = 0; i < 200; i++) expect(parseToken(newToken())).toBeDefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const parsed = parseToken(s);
        if (parsed !== undefined) expect(parsed).toMatch(/^cl_[A-Za-z0-9_-]{43}$/);
      }),
    );
    expect(parseToken(csrfTokenFor(newToken()))).toBeUndefined();
  });

  it('normalises recovery codes case- and dash-insensitively, and only those', () => {
    for (let i = 0; i < 100; i++) {
      const c = newRecoveryCode();
      expect(normaliseRecoveryCode(c.toUpperCase().replaceAll('-', ''))).toBe(normaliseRecoveryCode(c));
    }
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => {
      const n = normaliseRecoveryCode(s);
      if (n !== undefined) expect(n).toMatch(/^[0-9a-z]{12}$/);
    }));
  });
});

describe('password policy (OWASP ASVS V2.1)', () => {
  it('refuses short, over-long, common and email-equal passwords; accepts long random ones', () => {
    fc.assert(fc.property(fc.string({ maxLength: PASSWORD_MIN - 1, unit: 'grapheme-ascii' }), (s) => {
      expect(checkPassword(s)).toBe('too-short');
    }));
    expect(checkPassword('x'.repeat(PASSWORD_MAX + 1))).toBe('too-long');
    expect(checkPassword('Password123')).toBe('common');
    expect(checkPassword('ann@clinic.example', 'Ann@Clinic.example')).toBe('equals-email');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 ]{20,64}$/), (s) => {
        expect(checkPassword(`${s}~Zq`)).toBeUndefined();
      }),
    );
  });
});

describe('login body', () => {
  it('never throws and normalises the email', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const r = ZLoginBody.safeParse(v);
        if (r.success) expect(r.data.email).toBe(r.data.email.trim().toLowerCase());
      }),
    );
    expect(ZLoginBody.parse({ email: ' Ann@Clinic.Example ', password: 'x' }).email).toBe('ann@clinic.example');
  });
});
