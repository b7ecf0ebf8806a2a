import { describe, expect, it } from 'vitest';
import { mediaErrorReason } from './local-media';

const named = (name: string) => Object.assign(new Error('x'), { name });

describe('mediaErrorReason', () => {
  it('maps getUserMedia failures to what the user can do about them', () => {
    expect(mediaErrorReason(named('NotAllowedError'))).toBe('denied');
    expect(mediaErrorReason(named('SecurityError'))).toBe('denied');
    expect(mediaErrorReason(named('NotFoundError'))).toBe('missing');
    expect(mediaErrorReason(named('OverconstrainedError'))).toBe('missing');
    expect(mediaErrorReason(named('NotReadableError'))).toBe('busy');
    expect(mediaErrorReason(named('TypeError'))).toBe('other');
    expect(mediaErrorReason('nonsense')).toBe('other');
  });
});
