import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOfferCollision, isPolite, shouldIgnoreOffer } from './politeness';

describe('politeness', () => {
  it('exactly one of two distinct peers is polite, whatever the case of the ids', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.boolean(), (a, b, upper) => {
        fc.pre(a.toLowerCase() !== b.toLowerCase());
        const x = upper ? a.toUpperCase() : a;
        expect(isPolite(x, b) !== isPolite(b, x)).toBe(true);
      }),
    );
  });

  it('the greater id is polite', () => {
    expect(isPolite('ffffffff-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000')).toBe(true);
    expect(isPolite('00000000-0000-4000-8000-000000000000', 'ffffffff-0000-4000-8000-000000000000')).toBe(false);
  });
});

describe('offer collision', () => {
  it('an offer collides while we make one or are not stable', () => {
    expect(isOfferCollision('offer', { makingOffer: true, isSettingRemoteAnswerPending: false, signalingState: 'stable' })).toBe(true);
    expect(isOfferCollision('offer', { makingOffer: false, isSettingRemoteAnswerPending: false, signalingState: 'have-local-offer' })).toBe(true);
    expect(isOfferCollision('offer', { makingOffer: false, isSettingRemoteAnswerPending: false, signalingState: 'stable' })).toBe(false);
    expect(isOfferCollision('offer', { makingOffer: false, isSettingRemoteAnswerPending: true, signalingState: 'have-local-offer' })).toBe(false);
    expect(isOfferCollision('answer', { makingOffer: true, isSettingRemoteAnswerPending: false, signalingState: 'have-local-offer' })).toBe(false);
  });

  it('only the impolite peer ignores a colliding offer', () => {
    expect(shouldIgnoreOffer(false, true)).toBe(true);
    expect(shouldIgnoreOffer(true, true)).toBe(false);
    expect(shouldIgnoreOffer(false, false)).toBe(false);
  });
});
