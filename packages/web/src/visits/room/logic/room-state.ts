import type { TChatMessage, TMediaState, TPeer, TVisitServerMessage, TVisitSummary, TVitalEvent, TWaitingPeer } from '@careline/contracts';
import { mergeChat } from './chat-log';

/**
 * The room as the browser knows it, folded from the server's messages (contracts/visits.ts). Pure:
 * the React screens render it and the managers act on its transitions.
 */
export type RoomPhase = 'connecting' | 'waiting' | 'admitted' | 'left' | 'ended';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LobbyNote {
  readonly text: string;
  readonly sentAt: string;
}

export interface RoomState {
  readonly phase: RoomPhase;
  readonly connection: ConnectionState;
  readonly self: TPeer | undefined;
  readonly visit: TVisitSummary | undefined;
  readonly waitingSince: string | undefined;
  /** Messages from the host to us while we wait, newest last. */
  readonly lobbyNotes: readonly LobbyNote[];
  /** For hosts: who is waiting now. */
  readonly lobby: readonly TWaitingPeer[];
  /** The other admitted participants. */
  readonly peers: readonly TPeer[];
  readonly encounterId: string | undefined;
  readonly chat: readonly TChatMessage[];
  readonly mediaStates: Readonly<Record<string, TMediaState>>;
  readonly vitals: readonly TVitalEvent[];
  readonly endedReason: 'host-ended' | 'cancelled' | 'expired' | undefined;
  readonly lastError: { readonly code: string; readonly diagnostics: string } | undefined;
}

export const INITIAL_ROOM: RoomState = {
  phase: 'connecting',
  connection: 'connecting',
  self: undefined,
  visit: undefined,
  waitingSince: undefined,
  lobbyNotes: [],
  lobby: [],
  peers: [],
  encounterId: undefined,
  chat: [],
  mediaStates: {},
  vitals: [],
  endedReason: undefined,
  lastError: undefined,
};

export type RoomAction =
  | { readonly type: 'server'; readonly message: TVisitServerMessage }
  | { readonly type: 'connection'; readonly state: ConnectionState }
  | { readonly type: 'left' };

const LOBBY_NOTES_KEEP = 10;

/** What is shared only among admitted participants: dropped whenever we are not admitted (never shown in the waiting room). */
function withoutRoomData(state: RoomState): RoomState {
  return { ...state, peers: [], chat: [], mediaStates: {}, vitals: [], encounterId: undefined };
}

export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  if (action.type === 'connection') return { ...state, connection: action.state };
  if (action.type === 'left') return { ...withoutRoomData(state), phase: 'left' };
  // Once ended or left, late messages (a reconnect racing the close) change nothing.
  if (state.phase === 'ended' || state.phase === 'left') return state;
  const m = action.message;
  switch (m.type) {
    case 'pong':
      return state;
    case 'hello': {
      const base = { ...state, self: m.self, visit: m.visit, waitingSince: m.waitingSince ?? state.waitingSince };
      if (m.status === 'waiting') return { ...withoutRoomData(base), phase: 'waiting' };
      if (m.status === 'left') return { ...withoutRoomData(base), phase: 'left' };
      // Admitted: the peers arrive with the 'admitted' message; keep what we have across a reconnect.
      return { ...base, phase: 'admitted' };
    }
    case 'lobby-message':
      return { ...state, lobbyNotes: [...state.lobbyNotes, { text: m.text, sentAt: m.sentAt }].slice(-LOBBY_NOTES_KEEP) };
    case 'lobby':
      return { ...state, lobby: m.waiting };
    case 'admitted': {
      const selfId = state.self?.id;
      return { ...state, phase: 'admitted', peers: m.peers.filter((p) => p.id !== selfId), encounterId: m.encounterId, chat: mergeChat(state.chat, m.chat) };
    }
    case 'peer-joined':
      if (state.phase !== 'admitted' || m.peer.id === state.self?.id) return state;
      return { ...state, peers: [...state.peers.filter((p) => p.id !== m.peer.id), m.peer], lobby: state.lobby.filter((w) => w.id !== m.peer.id) };
    case 'peer-left': {
      const { [m.peerId]: _gone, ...mediaStates } = state.mediaStates;
      return { ...state, peers: state.peers.filter((p) => p.id !== m.peerId), mediaStates };
    }
    case 'signal':
      return state;
    case 'chat':
      return state.phase === 'admitted' ? { ...state, chat: mergeChat(state.chat, [m.message]) } : state;
    case 'media-state':
      return state.phase === 'admitted' ? { ...state, mediaStates: { ...state.mediaStates, [m.peerId]: m.state } } : state;
    case 'vitals':
      if (state.phase !== 'admitted' || state.vitals.some((v) => v.observation === m.vital.observation)) return state;
      return { ...state, vitals: [...state.vitals, m.vital] };
    case 'ended':
      return { ...withoutRoomData(state), phase: 'ended', endedReason: m.reason };
    case 'error':
      return { ...state, lastError: { code: m.code, diagnostics: m.diagnostics } };
  }
}

/** Whole minutes waited so far (for the "waiting for N min" counter). */
export function minutesWaited(since: string | undefined, now: number): number {
  if (!since) return 0;
  const start = Date.parse(since);
  return Number.isNaN(start) ? 0 : Math.max(0, Math.floor((now - start) / 60_000));
}
