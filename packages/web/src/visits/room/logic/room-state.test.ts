import type { TPeer, TVisitServerMessage, TVisitSummary } from '@careline/contracts';
import { ZVisitServerMessage } from '@careline/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INITIAL_ROOM, minutesWaited, roomReducer, type RoomState } from './room-state';

const SELF: TPeer = { id: '00000000-0000-4000-8000-0000000000aa', kind: 'patient', displayName: 'Pat', host: false };
const HOST: TPeer = { id: '00000000-0000-4000-8000-0000000000bb', kind: 'clinician', displayName: 'Dr. Ana Ortiz', host: true };
const GUEST: TPeer = { id: '00000000-0000-4000-8000-0000000000cc', kind: 'guest', displayName: 'Luis', host: false, role: 'interpreter' };
const VISIT: TVisitSummary = { appointmentId: 'a1', start: '2025-03-01T10:00:00.000Z', end: '2025-03-01T10:20:00.000Z', visitType: 'Follow-up', mode: 'video', hostName: 'Dr. Ana Ortiz', status: 'booked' };
const chat = (id: string) => ({ id, from: HOST.id, displayName: HOST.displayName, text: 'hi', sentAt: '2025-03-01T10:01:00.000Z' });

const run = (messages: TVisitServerMessage[], from: RoomState = INITIAL_ROOM) => messages.reduce((s, message) => roomReducer(s, { type: 'server', message }), from);

describe('roomReducer', () => {
  it('waits, receives host notes, is admitted with peers and chat, and ends', () => {
    let s = run([
      { type: 'hello', self: SELF, status: 'waiting', visit: VISIT, waitingSince: '2025-03-01T09:55:00.000Z' },
      { type: 'lobby-message', text: 'Running 10 minutes late', sentAt: '2025-03-01T10:02:00.000Z' },
    ]);
    expect(s.phase).toBe('waiting');
    expect(s.lobbyNotes.map((n) => n.text)).toEqual(['Running 10 minutes late']);
    s = run([{ type: 'hello', self: SELF, status: 'admitted', visit: VISIT }, { type: 'admitted', peers: [HOST, SELF], encounterId: 'Encounter/e1', chat: [chat('1')] }], s);
    expect(s.phase).toBe('admitted');
    expect(s.peers).toEqual([HOST]);
    expect(s.chat).toHaveLength(1);
    s = run([{ type: 'peer-joined', peer: GUEST }, { type: 'media-state', peerId: GUEST.id, state: { audio: true, video: false, screen: false, audioOnly: true } }, { type: 'peer-left', peerId: GUEST.id }], s);
    expect(s.peers).toEqual([HOST]);
    expect(s.mediaStates).toEqual({});
    s = run([{ type: 'ended', reason: 'host-ended' }, { type: 'chat', message: chat('2') }], s);
    expect(s.phase).toBe('ended');
    expect(s.endedReason).toBe('host-ended');
    expect(s.chat).toEqual([]);
  });

  it('never holds room data (peers, chat, media, vitals) while waiting, whatever arrives', () => {
    const arbitraryMessage = fc.constantFrom<TVisitServerMessage>(
      { type: 'peer-joined', peer: HOST },
      { type: 'chat', message: chat('x') },
      { type: 'media-state', peerId: HOST.id, state: { audio: true, video: true, screen: false, audioOnly: false } },
      { type: 'vitals', vital: { observation: 'Observation/1', code: '85354-9', label: 'BP', value: '120/80 mmHg', effective: '2025-03-01T10:03:00.000Z' } },
      { type: 'lobby-message', text: 'soon', sentAt: '2025-03-01T10:02:00.000Z' },
      { type: 'lobby', waiting: [] },
      { type: 'pong' },
    );
    fc.assert(
      fc.property(fc.array(arbitraryMessage, { maxLength: 30 }), (messages) => {
        const s = run([{ type: 'hello', self: SELF, status: 'waiting', visit: VISIT }, ...messages]);
        expect(s.phase).toBe('waiting');
        expect(s.peers).toEqual([]);
        expect(s.chat).toEqual([]);
        expect(s.vitals).toEqual([]);
        expect(s.mediaStates).toEqual({});
      }),
    );
  });

  it('drops room data when sent back to the waiting room', () => {
    const s = run([{ type: 'hello', self: SELF, status: 'admitted', visit: VISIT }, { type: 'admitted', peers: [HOST], encounterId: 'Encounter/e1', chat: [chat('1')] }, { type: 'hello', self: SELF, status: 'waiting', visit: VISIT }]);
    expect(s.phase).toBe('waiting');
    expect(s.peers).toEqual([]);
    expect(s.chat).toEqual([]);
  });

  it('keeps one entry per vital observation', () => {
    const vital = { observation: 'Observation/1', code: '85354-9', label: 'BP', value: '120/80 mmHg', effective: '2025-03-01T10:03:00.000Z' };
    const s = run([{ type: 'hello', self: SELF, status: 'admitted', visit: VISIT }, { type: 'vitals', vital }, { type: 'vitals', vital }]);
    expect(s.vitals).toHaveLength(1);
  });

  it('the fixtures are valid wire messages', () => {
    expect(ZVisitServerMessage.safeParse({ type: 'hello', self: SELF, status: 'waiting', visit: VISIT }).success).toBe(true);
  });
});

describe('minutesWaited', () => {
  it('counts whole minutes and never negative', () => {
    expect(minutesWaited('2025-03-01T10:00:00.000Z', Date.parse('2025-03-01T10:04:59.000Z'))).toBe(4);
    expect(minutesWaited('2025-03-01T10:00:00.000Z', Date.parse('2025-03-01T09:00:00.000Z'))).toBe(0);
    expect(minutesWaited(undefined, 0)).toBe(0);
    expect(minutesWaited('garbage', 0)).toBe(0);
  });
});
