import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './signaling-client';

describe('parseServerMessage', () => {
  it('accepts contract messages and drops everything else', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'pong' }))).toEqual({ type: 'pong' });
    expect(parseServerMessage(JSON.stringify({ type: 'ended', reason: 'host-ended' }))).toEqual({ type: 'ended', reason: 'host-ended' });
    expect(parseServerMessage(JSON.stringify({ type: 'ended', reason: 'bored' }))).toBeUndefined();
    expect(parseServerMessage(JSON.stringify({ type: 'signal', from: 'not-a-uuid', data: { kind: 'candidate', candidate: null } }))).toBeUndefined();
    expect(parseServerMessage('{')).toBeUndefined();
    expect(parseServerMessage(new ArrayBuffer(4))).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (s) => void parseServerMessage(s)));
  });
});
