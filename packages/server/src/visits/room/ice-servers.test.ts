import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from './ice-servers.js';

const VIDEO = { stunUrls: ['stun:127.0.0.1:3478'], turnUrls: ['turn:127.0.0.1:3478?transport=udp'], turnSecret: 'north', iceTransportPolicy: 'all' as const, joinEarlyMinutes: 15, joinLateMinutes: 30 };

describe('TURN REST API credentials', () => {
  it('match a known vector (HMAC-SHA1, base64)', () => {
    // Computed independently: printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac north -binary | base64
    const c = turnCredential('north', 'alice', new Date(1_700_000_000_500));
    expect(c).toEqual({ username: '1700000000:alice', credential: 'Cd/49soE35ICqcJF/bCTn8Z4OyE=' });
  });

  it('property: the credential is the HMAC of the username and the expiry is whole seconds, not later than asked', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uuid(), fc.integer({ min: 0, max: 4_000_000_000_000 }), (secret, id, ms) => {
        const c = turnCredential(secret, id, new Date(ms));
        const [expiry, who] = c.username.split(':');
        expect(who).toBe(id);
        expect(Number(expiry) * 1000).toBeLessThanOrEqual(ms);
        expect(c.credential).toBe(createHmac('sha1', secret).update(c.username).digest('base64'));
      }),
    );
  });

  it('gives STUN as configured and TURN only with a secret', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const servers = iceServersFor(VIDEO, '7', at);
    expect(servers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    expect(servers[1]).toMatchObject({ urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1767225600:7' });
    expect(iceServersFor({ ...VIDEO, turnSecret: undefined }, '7', at)).toHaveLength(1);
    expect(iceServersFor({ ...VIDEO, stunUrls: [], turnUrls: [] }, '7', at)).toEqual([]);
  });
});
