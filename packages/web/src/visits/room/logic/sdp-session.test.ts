import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNewRemoteSession } from './sdp-session';

const sdp = (fp: string, ufrag: string) => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=ice-ufrag:${ufrag}`, `a=fingerprint:sha-256 ${fp}`, 'm=video 9 UDP/TLS/RTP/SAVPF 96', `a=fingerprint:sha-256 ${fp}`, ''].join('\r\n');

describe('isNewRemoteSession', () => {
  it('an ICE restart or renegotiation is not a new session; a new certificate is', () => {
    expect(isNewRemoteSession(sdp('AA:BB', 'u1'), sdp('AA:BB', 'u2'))).toBe(false);
    expect(isNewRemoteSession(sdp('AA:BB', 'u1'), sdp('CC:DD', 'u1'))).toBe(true);
    expect(isNewRemoteSession(undefined, sdp('CC:DD', 'u1'))).toBe(false);
    expect(isNewRemoteSession(sdp('AA:BB', 'u1'), undefined)).toBe(false);
  });

  it('is decided by the fingerprints alone', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{4,64}$/), fc.stringMatching(/^[0-9a-f]{4,64}$/), fc.string({ minLength: 1, maxLength: 8 }), (a, b, u) => {
        expect(isNewRemoteSession(sdp(a, 'x'), sdp(b, u))).toBe(a.toLowerCase() !== b.toLowerCase());
      }),
    );
  });
});
