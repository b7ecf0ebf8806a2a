/**
 * When to restart ICE (RFC 8445 §9; RTCPeerConnection.restartIce()). 'failed' means the agent gave
 * up: restart at once. 'disconnected' often heals by itself within a second or two (a Wi-Fi
 * roam), so wait a little before restarting; then keep trying at a slower pace while it lasts,
 * so a network drop does not end the visit.
 */
export const DISCONNECTED_GRACE_MS = 3_000;
export const RESTART_RETRY_MS = 5_000;

export type IceAction = { readonly kind: 'none' } | { readonly kind: 'restart-now' } | { readonly kind: 'check-after'; readonly ms: number };

export function iceRecovery(state: RTCIceConnectionState, msSinceChange: number, msSinceLastRestart: number | undefined): IceAction {
  if (state !== 'failed' && state !== 'disconnected') return { kind: 'none' };
  const due = state === 'failed' ? 0 : DISCONNECTED_GRACE_MS;
  const wait = Math.max(due - msSinceChange, msSinceLastRestart === undefined ? 0 : RESTART_RETRY_MS - msSinceLastRestart);
  return wait <= 0 ? { kind: 'restart-now' } : { kind: 'check-after', ms: wait };
}
