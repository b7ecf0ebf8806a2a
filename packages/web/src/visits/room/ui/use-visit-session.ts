import type { TJoinResponse, TVisitClientMessage, TVisitServerMessage } from '@careline/contracts';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ChatLog } from '../logic/chat-log';
import { INITIAL_ROOM, roomReducer, type RoomState } from '../logic/room-state';
import type { LocalMedia } from '../managers/local-media';
import { PeerMesh, type RemoteMedia } from '../managers/peer-mesh';
import { QualityMonitor } from '../managers/quality-monitor';
import { SignalingClient } from '../managers/signaling-client';

export interface VisitSession {
  readonly room: RoomState;
  readonly remote: ReadonlyMap<string, RemoteMedia>;
  /** RTCPeerConnections alive now: 0 until admitted (the waiting room creates none). */
  readonly peerConnections: number;
  /** Distinct server message types received so far (exposed on the page for the e2e test). */
  readonly receivedTypes: readonly string[];
  /** The bandwidth collapsed and the room switched to audio-only by itself. */
  readonly weakSwitched: boolean;
  /** The signaling socket closed for good: only a new join (new ticket) continues. */
  readonly lost: boolean;
  readonly send: (message: TVisitClientMessage) => boolean;
  readonly chat: ChatLog;
  readonly tryVideoAgain: () => Promise<void>;
  readonly leave: () => void;
}

/**
 * Wires the managers for one joined visit: the SignalingClient feeds the room reducer; the
 * PeerMesh exists only while admitted (created on 'admitted', closed when sent back to the lobby
 * or when the visit ends); LocalMedia's tracks go to the mesh; the QualityMonitor switches to
 * audio-only when the bandwidth collapses.
 */
export function useVisitSession(join: TJoinResponse, local: LocalMedia): VisitSession {
  const [room, dispatch] = useReducer(roomReducer, INITIAL_ROOM);
  const [remote, setRemote] = useState<ReadonlyMap<string, RemoteMedia>>(new Map());
  const [peerConnections, setPeerConnections] = useState(0);
  const [receivedTypes, setReceivedTypes] = useState<readonly string[]>([]);
  const [weakSwitched, setWeakSwitched] = useState(false);
  const [lost, setLost] = useState(false);
  const signalingRef = useRef<SignalingClient | undefined>(undefined);
  const monitorRef = useRef<QualityMonitor | undefined>(undefined);

  useEffect(() => {
    const signaling = new SignalingClient({ ticket: join.ticket, ticketExpiresAt: join.ticketExpiresAt });
    signalingRef.current = signaling;
    let mesh: PeerMesh | undefined;
    let monitor: QualityMonitor | undefined;
    let admitted = false;
    const unsubscribe: (() => void)[] = [];
    const seen = new Set<string>();
    // The mesh's allowed peers, tracked here from the messages (the reducer's copy is React state).
    const peerIds = new Set<string>();
    const knownPeers = () => [...peerIds];
    const sendMediaState = () => {
      const s = local.state;
      if (admitted) signaling.send({ type: 'media-state', state: { audio: s.micOn, video: s.cameraOn, screen: s.sharing, audioOnly: s.audioOnly } });
    };

    const openMesh = (): PeerMesh => {
      if (mesh) return mesh;
      const m = new PeerMesh({
        selfId: join.self.id,
        rtcConfig: { iceServers: join.iceServers.map((s) => ({ ...s })), iceTransportPolicy: join.iceTransportPolicy },
        sendSignal: (to, data) => signaling.send({ type: 'signal', to, data }),
      });
      m.on('count', setPeerConnections);
      m.on('remote', (media) =>
        setRemote((old) => {
          const next = new Map(old);
          if (media.main || media.screen) next.set(media.peerId, media);
          else next.delete(media.peerId);
          return next;
        }),
      );
      unsubscribe.push(local.on('track', ({ slot, track, stream }) => m.setLocalTrack(slot, track, stream)));
      local.announce();
      const q = new QualityMonitor(() => m.connections());
      q.on('weak', () => {
        if (local.state.audioOnly) return;
        setWeakSwitched(true);
        void local.setAudioOnly(true);
      });
      q.start();
      monitor = q;
      monitorRef.current = q;
      mesh = m;
      return m;
    };
    const closeMesh = () => {
      monitor?.dispose();
      monitor = undefined;
      monitorRef.current = undefined;
      mesh?.close();
      mesh = undefined;
      setPeerConnections(0);
      setRemote(new Map());
    };

    const onMessage = (message: TVisitServerMessage) => {
      if (!seen.has(message.type)) {
        seen.add(message.type);
        setReceivedTypes([...seen]);
      }
      dispatch({ type: 'server', message });
      switch (message.type) {
        case 'hello':
          // Sent back to (or still in) the lobby: nothing of the room may stay open.
          if (message.status !== 'admitted') {
            admitted = false;
            closeMesh();
          }
          break;
        case 'admitted': {
          admitted = true;
          const ids = message.peers.map((p) => p.id).filter((id) => id !== join.self.id);
          const m = openMesh();
          m.setPeers(ids);
          // Contract: the newcomer offers to everyone already there.
          m.connectTo(ids);
          sendMediaState();
          break;
        }
        case 'peer-joined':
        case 'peer-left':
          // The newcomer will offer; a peer that left has its connection closed.
          mesh?.setPeers(knownPeers());
          break;
        case 'signal':
          mesh?.handleSignal(message.from, message.data);
          break;
        case 'ended':
          admitted = false;
          closeMesh();
          signaling.close();
          break;
        case 'pong':
        case 'lobby':
        case 'lobby-message':
        case 'chat':
        case 'media-state':
        case 'vitals':
        case 'error':
          // Room state only (the reducer).
          break;
      }
    };
    unsubscribe.push(
      signaling.on('message', (m) => {
        if (m.type === 'admitted') {
          peerIds.clear();
          for (const p of m.peers) if (p.id !== join.self.id) peerIds.add(p.id);
        } else if (m.type === 'peer-joined' && m.peer.id !== join.self.id) peerIds.add(m.peer.id);
        else if (m.type === 'peer-left') peerIds.delete(m.peerId);
        else if (m.type === 'hello' && m.status !== 'admitted') peerIds.clear();
        onMessage(m);
      }),
    );
    unsubscribe.push(
      signaling.on('state', (state) => {
        dispatch({ type: 'connection', state });
        if (state === 'open') mesh?.recover();
      }),
    );
    unsubscribe.push(signaling.on('closed', ({ code }) => setLost(code !== 1000)));
    unsubscribe.push(local.on('state', sendMediaState));
    signaling.connect();
    return () => {
      for (const u of unsubscribe) u();
      closeMesh();
      signaling.close();
      signalingRef.current = undefined;
    };
  }, [join, local]);

  const send = useCallback((message: TVisitClientMessage) => signalingRef.current?.send(message) ?? false, []);
  const chat = useMemo(() => new ChatLog((text) => send({ type: 'chat', text })), [send]);
  const tryVideoAgain = useCallback(async () => {
    setWeakSwitched(false);
    monitorRef.current?.reset();
    await local.setAudioOnly(false);
  }, [local]);
  const leave = useCallback(() => {
    send({ type: 'leave' });
    signalingRef.current?.close();
    dispatch({ type: 'left' });
  }, [send]);

  return { room, remote, peerConnections, receivedTypes, weakSwitched, lost, send, chat, tryVideoAgain, leave };
}
