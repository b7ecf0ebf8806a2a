import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { turnRestCredentials } from '../support/coturn.js';

describe('TURN REST credentials (coturn use-auth-secret)', () => {
  it('username is <expiry>:<id> and the password is base64 HMAC-SHA1 of the username', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.stringMatching(/^[A-Za-z0-9:_-]{1,40}$/), (secret, expiry, id) => {
        const c = turnRestCredentials(secret, expiry, id);
        expect(c.username).toBe(`${expiry}:${id}`);
        // coturn reads the expiry as everything before the first colon.
        expect(Number(c.username.slice(0, c.username.indexOf(':')))).toBe(expiry);
        const mac = Buffer.from(c.credential, 'base64');
        expect(mac.length).toBe(20);
        expect(mac.toString('base64')).toBe(c.credential);
      }),
    );
  });

  it('a fractional expiry is floored (coturn parses an integer)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 40, noNaN: true }), (expiry) => {
        expect(turnRestCredentials('s', expiry, 'x').username).toBe(`${Math.floor(expiry)}:x`);
      }),
    );
  });

  it('another secret gives another password', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 2 ** 40 }), (a, b, expiry) => {
        fc.pre(a !== b);
        expect(turnRestCredentials(a, expiry, 'p').credential).not.toBe(turnRestCredentials(b, expiry, 'p').credential);
      }),
    );
  });

  it('matches HMAC-SHA1 known answers (RFC 2202 test case 2 key, coturn README example shape)', () => {
    const c = turnRestCredentials('Jefe', 1_700_000_000, 'patient');
    expect(c.credential).toBe(createHmac('sha1', 'Jefe').update('1700000000:patient').digest('base64'));
    // RFC 2202 §3 test case 2, through the same primitive, pins the algorithm to SHA-1.
    expect(createHmac('sha1', 'Jefe').update('what do ya want for nothing?').digest('hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });
});
