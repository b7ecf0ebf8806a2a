import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingFacts } from './billing-facts.js';

const base = { patientAtHome: null, telepresenterSeen: false, videoSeen: false, audioOnlySeen: false, mode: 'video' as const };

describe('billing facts', () => {
  it.each([
    [{ patientAtHome: true }, '10', '95'],
    [{ patientAtHome: false }, '02', '95'],
    [{ patientAtHome: null }, '02', '95'],
    [{ patientAtHome: true, telepresenterSeen: true }, '02', '95'],
    [{ audioOnlySeen: true }, '02', '93'],
    [{ audioOnlySeen: true, videoSeen: true }, '02', '95'],
    [{ mode: 'audio' as const }, '02', '93'],
    [{ mode: 'audio' as const, videoSeen: true }, '02', '95'],
  ])('%o → POS %s, modifier %s', (facts, pos, modifier) => {
    expect(billingFacts({ ...base, ...facts })).toEqual({ placeOfService: pos, modifier });
  });

  it('property: 10 only for a patient at home with no telepresenter; 93 never once video was used', () => {
    fc.assert(
      fc.property(fc.constantFrom(true, false, null), fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom('video' as const, 'audio' as const, 'in-person' as const), (home, tp, video, audio, mode) => {
        const b = billingFacts({ patientAtHome: home, telepresenterSeen: tp, videoSeen: video, audioOnlySeen: audio, mode });
        expect(b.placeOfService === '10').toBe(home === true && !tp);
        if (video) expect(b.modifier).toBe('95');
        if (!video && (audio || mode === 'audio')) expect(b.modifier).toBe('93');
      }),
    );
  });
});
