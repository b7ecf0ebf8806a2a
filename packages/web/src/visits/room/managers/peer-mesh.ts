import type { TSignalData } from '@careline/contracts';
import { Emitter } from '../logic/emitter';
import { iceRecovery } from '../logic/ice-recovery';
import { isOfferCollision, isPolite, shouldIgnoreOffer } from '../logic/politeness';
import { isNewRemoteSession } from '../logic/sdp-session';

/** What we send: the microphone, the camera, and a shared screen (its own transceiver, added and removed with renegotiation). */
export type LocalSlot = 'audio' | 'video' | 'screen';

export interface RemoteMedia {
  readonly peerId: string;
  /** Camera and microphone. */
  readonly main: MediaStream | undefined;
  /** A shared screen, while the peer shares one. */
  readonly screen: MediaStream | undefined;
}

export interface PeerMeshEvents {
  remote: RemoteMedia;
  /** The connection state of one peer (for the tile's "reconnecting…" label). */
  'peer-state': { readonly peerId: string; readonly state: RTCPeerConnectionState };
  /** How many RTCPeerConnections exist now (the waiting-room e2e test reads it from the page). */
  count: number;
}

export interface PeerMeshOptions {
  readonly selfId: string;
  readonly rtcConfig: RTCConfiguration;
  /** Sends a signal to one admitted peer through the signaling server; false when offline. */
  readonly sendSignal: (to: string, data: TSignalData) => boolean;
  readonly createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

interface PeerEntry {
  readonly peerId: string;
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  /** We made the first offer (we are the newcomer): contract, 'admitted'. */
  readonly initiator: boolean;
  readonly senders: Map<LocalSlot, RTCRtpSender>;
  readonly streams: Map<string, MediaStream>;
  mainStreamId: string | undefined;
  makingOffer: boolean;
  ignoreOffer: boolean;
  isSettingRemoteAnswerPending: boolean;
  /** Signals are applied one at a time, in order (a candidate must wait for its description). */
  queue: Promise<void>;
  iceChangedAt: number;
  lastRestartAt: number | undefined;
  iceTimer: ReturnType<typeof setTimeout> | undefined;
}

interface LocalTrack {
  readonly track: MediaStreamTrack | null;
  readonly stream: MediaStream;
}

/**
 * One RTCPeerConnection per admitted peer (a mesh of up to 4 participants). The newcomer offers to
 * everyone already there; the others create their connection when that offer arrives. Later
 * changes (screen share, ICE restart) use perfect negotiation with the contract's politeness rule.
 * Local media is given by slot; switching a device replaces the track without renegotiating.
 */
export class PeerMesh extends Emitter<PeerMeshEvents> {
  private readonly peers = new Map<string, PeerEntry>();
  private readonly local = new Map<LocalSlot, LocalTrack>();
  private readonly allowed = new Set<string>();
  private closed = false;

  constructor(private readonly options: PeerMeshOptions) {
    super();
  }

  get size(): number {
    return this.peers.size;
  }

  /** The admitted peers we may talk to; connections to anyone else are closed. */
  setPeers(peerIds: readonly string[]): void {
    this.allowed.clear();
    for (const id of peerIds) this.allowed.add(id);
    for (const id of [...this.peers.keys()]) if (!this.allowed.has(id)) this.closePeer(id);
  }

  /** As the newcomer: offer to each of these peers we have no connection with yet. */
  connectTo(peerIds: readonly string[]): void {
    for (const id of peerIds) {
      this.allowed.add(id);
      if (!this.peers.has(id)) this.createEntry(id, true);
    }
  }

  handleSignal(from: string, data: TSignalData): void {
    if (this.closed || !this.allowed.has(from)) return;
    let entry = this.peers.get(from);
    if (!entry) {
      // Only an offer opens a connection from the other side; a stray candidate has nothing to join.
      if (data.kind !== 'description' || data.description.type !== 'offer') return;
      entry = this.createEntry(from, false);
    }
    const target = entry;
    target.queue = target.queue.then(() => this.apply(target, data)).catch(() => undefined);
  }

  /** Sets (or clears) what we send in a slot, on every connection. */
  setLocalTrack(slot: LocalSlot, track: MediaStreamTrack | null, stream: MediaStream): void {
    this.local.set(slot, { track, stream });
    for (const entry of this.peers.values()) void this.applyLocal(entry, slot);
  }

  /** After the signaling socket came back: connections that dropped meanwhile restart ICE. */
  recover(): void {
    for (const entry of this.peers.values()) {
      const s = entry.pc.iceConnectionState;
      if (s === 'connected' || s === 'completed' || s === 'new' || s === 'checking') continue;
      void this.restartIce(entry);
    }
  }

  /** The connection to one peer, for the quality monitor's getStats. */
  connections(): readonly RTCPeerConnection[] {
    return [...this.peers.values()].map((e) => e.pc);
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.peers.keys()]) this.closePeer(id);
    this.clearListeners();
  }

  private createEntry(peerId: string, initiator: boolean): PeerEntry {
    const create = this.options.createPeerConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
    const pc = create(this.options.rtcConfig);
    const entry: PeerEntry = {
      peerId,
      pc,
      polite: isPolite(this.options.selfId, peerId),
      initiator,
      senders: new Map(),
      streams: new Map(),
      mainStreamId: undefined,
      makingOffer: false,
      ignoreOffer: false,
      isSettingRemoteAnswerPending: false,
      queue: Promise.resolve(),
      iceChangedAt: Date.now(),
      lastRestartAt: undefined,
      iceTimer: undefined,
    };
    this.peers.set(peerId, entry);
    pc.onnegotiationneeded = () => void this.offer(entry);
    pc.onicecandidate = (ev) => {
      const c = ev.candidate;
      this.options.sendSignal(peerId, { kind: 'candidate', candidate: c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment } : null });
    };
    pc.ontrack = (ev) => this.onTrack(entry, ev);
    pc.oniceconnectionstatechange = () => {
      entry.iceChangedAt = Date.now();
      this.checkIce(entry);
    };
    pc.onconnectionstatechange = () => this.emit('peer-state', { peerId, state: pc.connectionState });
    if (initiator) {
      // Both kinds always get a transceiver, so a participant without a camera still receives video
      // and can turn one on later with replaceTrack (no renegotiation).
      for (const kind of ['audio', 'video'] as const) {
        const local = this.local.get(kind);
        const t = pc.addTransceiver(local?.track ?? kind, { direction: 'sendrecv', streams: local ? [local.stream] : [] });
        entry.senders.set(kind, t.sender);
      }
      const screen = this.local.get('screen');
      if (screen?.track) entry.senders.set('screen', pc.addTransceiver(screen.track, { direction: 'sendonly', streams: [screen.stream] }).sender);
    }
    this.emit('count', this.peers.size);
    return entry;
  }

  private async offer(entry: PeerEntry): Promise<void> {
    // The answering side waits for the newcomer's first offer (contract: 'admitted').
    if (!entry.initiator && !entry.pc.remoteDescription) return;
    try {
      entry.makingOffer = true;
      await entry.pc.setLocalDescription();
      this.sendDescription(entry);
    } catch {
      // A rolled-back or closed connection; the next negotiationneeded tries again.
    } finally {
      entry.makingOffer = false;
    }
  }

  private sendDescription(entry: PeerEntry): void {
    const d = entry.pc.localDescription;
    if (d) this.options.sendSignal(entry.peerId, { kind: 'description', description: { type: d.type, sdp: d.sdp } });
  }

  private async apply(entry: PeerEntry, data: TSignalData): Promise<void> {
    const { pc } = entry;
    if (data.kind === 'candidate') {
      const c = data.candidate;
      try {
        await pc.addIceCandidate(c ? { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null } : null);
      } catch (err) {
        // Candidates of an offer we ignored fail by design (perfect negotiation).
        if (!entry.ignoreOffer) throw err;
      }
      return;
    }
    const description = data.description;
    if (description.type === 'offer' && pc.remoteDescription && isNewRemoteSession(pc.remoteDescription.sdp, description.sdp)) {
      // The peer reloaded and connects afresh: start over with a new connection.
      this.closePeer(entry.peerId);
      this.handleSignal(entry.peerId, data);
      return;
    }
    const collision = isOfferCollision(description.type, { makingOffer: entry.makingOffer, isSettingRemoteAnswerPending: entry.isSettingRemoteAnswerPending, signalingState: pc.signalingState });
    entry.ignoreOffer = shouldIgnoreOffer(entry.polite, collision);
    if (entry.ignoreOffer) return;
    entry.isSettingRemoteAnswerPending = description.type === 'answer';
    try {
      await pc.setRemoteDescription(description);
    } finally {
      entry.isSettingRemoteAnswerPending = false;
    }
    if (description.type !== 'offer') return;
    if (!entry.initiator && entry.senders.size === 0) this.attachToOffered(entry);
    await pc.setLocalDescription();
    this.sendDescription(entry);
  }

  /** As the answering side: send our microphone and camera on the transceivers the offer created. */
  private attachToOffered(entry: PeerEntry): void {
    for (const kind of ['audio', 'video'] as const) {
      const t = entry.pc.getTransceivers().find((x) => x.receiver.track.kind === kind && ![...entry.senders.values()].includes(x.sender));
      if (!t) continue;
      t.direction = 'sendrecv';
      entry.senders.set(kind, t.sender);
      const local = this.local.get(kind);
      if (local?.track) void t.sender.replaceTrack(local.track);
      // setStreams gives the far side a stream id (msid) for our camera; not in every browser yet.
      if (local && typeof t.sender.setStreams === 'function') t.sender.setStreams(local.stream);
    }
    void this.applyLocal(entry, 'screen');
  }

  private async applyLocal(entry: PeerEntry, slot: LocalSlot): Promise<void> {
    // The answering side attaches its media once the first offer arrived.
    if (!entry.initiator && entry.senders.size === 0) return;
    const local = this.local.get(slot);
    const sender = entry.senders.get(slot);
    if (slot === 'screen') {
      if (local?.track && !sender) entry.senders.set('screen', entry.pc.addTransceiver(local.track, { direction: 'sendonly', streams: [local.stream] }).sender);
      else if (local?.track && sender) await sender.replaceTrack(local.track);
      else if (!local?.track && sender) {
        // Removing the sender renegotiates: the far side's screen tile goes away.
        entry.pc.removeTrack(sender);
        entry.senders.delete('screen');
      }
      return;
    }
    if (sender) await sender.replaceTrack(local?.track ?? null);
  }

  private onTrack(entry: PeerEntry, ev: RTCTrackEvent): void {
    const stream = ev.streams[0] ?? entry.streams.get('fallback') ?? new MediaStream();
    if (!ev.streams[0]) {
      entry.streams.set('fallback', stream);
      stream.addTrack(ev.track);
    }
    // The first stream a peer sends is its camera and microphone; any other is a shared screen.
    entry.mainStreamId ??= stream.id;
    const key = stream.id === entry.mainStreamId ? stream.id : `screen:${stream.id}`;
    entry.streams.set(key, stream);
    const drop = () => {
      if (stream.getTracks().every((t) => t.readyState === 'ended' || t.muted) && key !== entry.mainStreamId) entry.streams.delete(key);
      this.emitRemote(entry);
    };
    stream.onremovetrack = drop;
    ev.track.onmute = drop;
    ev.track.onunmute = () => {
      entry.streams.set(key, stream);
      this.emitRemote(entry);
    };
    this.emitRemote(entry);
  }

  private emitRemote(entry: PeerEntry): void {
    const main = entry.mainStreamId ? entry.streams.get(entry.mainStreamId) : undefined;
    const screenKey = [...entry.streams.keys()].find((k) => k.startsWith('screen:'));
    this.emit('remote', { peerId: entry.peerId, main, screen: screenKey ? entry.streams.get(screenKey) : undefined });
  }

  private checkIce(entry: PeerEntry): void {
    if (entry.iceTimer) clearTimeout(entry.iceTimer);
    entry.iceTimer = undefined;
    if (this.closed || this.peers.get(entry.peerId) !== entry) return;
    const now = Date.now();
    const action = iceRecovery(entry.pc.iceConnectionState, now - entry.iceChangedAt, entry.lastRestartAt === undefined ? undefined : now - entry.lastRestartAt);
    if (action.kind === 'restart-now') void this.restartIce(entry).then(() => this.checkIce(entry));
    else if (action.kind === 'check-after') entry.iceTimer = setTimeout(() => this.checkIce(entry), action.ms);
  }

  private async restartIce(entry: PeerEntry): Promise<void> {
    entry.lastRestartAt = Date.now();
    try {
      // An offer lost while the signaling socket was down would block the restart: take it back first.
      if (entry.pc.signalingState === 'have-local-offer') await entry.pc.setLocalDescription({ type: 'rollback' });
      entry.pc.restartIce();
    } catch {
      // closed meanwhile
    }
  }

  private closePeer(peerId: string): void {
    const entry = this.peers.get(peerId);
    if (!entry) return;
    this.peers.delete(peerId);
    if (entry.iceTimer) clearTimeout(entry.iceTimer);
    entry.pc.onnegotiationneeded = null;
    entry.pc.onicecandidate = null;
    entry.pc.ontrack = null;
    entry.pc.oniceconnectionstatechange = null;
    entry.pc.onconnectionstatechange = null;
    entry.pc.close();
    this.emit('remote', { peerId, main: undefined, screen: undefined });
    this.emit('count', this.peers.size);
  }
}
