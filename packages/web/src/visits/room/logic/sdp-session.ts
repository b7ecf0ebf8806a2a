/**
 * Whether an incoming offer belongs to a new RTCPeerConnection on the other side (the participant
 * reloaded the page and rejoined) rather than a renegotiation of ours: a new connection has a new
 * DTLS certificate, so its `a=fingerprint` lines differ (RFC 8122 §5). A renegotiation or an ICE
 * restart keeps them.
 */
export function fingerprints(sdp: string | undefined): string {
  if (!sdp) return '';
  return sdp
    .split(/\r?\n/)
    .filter((l) => l.startsWith('a=fingerprint:'))
    .map((l) => l.trim().toLowerCase())
    .sort()
    .filter((l, i, all) => all.indexOf(l) === i)
    .join('|');
}

export function isNewRemoteSession(currentRemoteSdp: string | undefined, offerSdp: string | undefined): boolean {
  const before = fingerprints(currentRemoteSdp);
  const after = fingerprints(offerSdp);
  return before !== '' && after !== '' && before !== after;
}
