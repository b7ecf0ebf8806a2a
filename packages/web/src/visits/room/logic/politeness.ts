/**
 * Perfect negotiation (W3C WebRTC 1.0 §10.7 "Perfect negotiation example"): both sides may offer;
 * on a collision the polite peer yields (rolls back its own offer) and the impolite one ignores the
 * incoming offer. The contract (packages/contracts/src/visits.ts) fixes the roles: the peer with the
 * greater id is polite, so both sides agree without a message.
 */
export function isPolite(selfId: string, peerId: string): boolean {
  return selfId.toLowerCase() > peerId.toLowerCase();
}

export interface NegotiationFlags {
  readonly makingOffer: boolean;
  readonly isSettingRemoteAnswerPending: boolean;
  readonly signalingState: RTCSignalingState;
}

/** Whether an incoming description collides with our own offer in flight. */
export function isOfferCollision(type: RTCSdpType, flags: NegotiationFlags): boolean {
  const readyForOffer = !flags.makingOffer && (flags.signalingState === 'stable' || flags.isSettingRemoteAnswerPending);
  return type === 'offer' && !readyForOffer;
}

/** The impolite peer ignores a colliding offer (its own wins); the polite one accepts it (implicit rollback). */
export function shouldIgnoreOffer(polite: boolean, collision: boolean): boolean {
  return !polite && collision;
}
