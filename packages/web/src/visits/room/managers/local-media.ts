import { Emitter } from '../logic/emitter';
import type { LocalSlot } from './peer-mesh';

export interface MediaChoice {
  readonly cameraId: string | undefined;
  readonly micId: string | undefined;
}

export interface LocalMediaState {
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly audioOnly: boolean;
  readonly sharing: boolean;
  readonly cameraId: string | undefined;
  readonly micId: string | undefined;
}

export interface LocalMediaEvents {
  /** The local camera/microphone stream to preview (its tracks change as devices switch). */
  stream: MediaStream;
  /** What to send in a slot changed (null: nothing); the PeerMesh replaces or adds the track. */
  track: { readonly slot: LocalSlot; readonly track: MediaStreamTrack | null; readonly stream: MediaStream };
  devices: readonly MediaDeviceInfo[];
  state: LocalMediaState;
  /** A capture failed: 'denied' (permission), 'missing' (no such device), 'busy' (another app), 'other'. */
  error: { readonly slot: LocalSlot; readonly reason: MediaErrorReason };
}

export type MediaErrorReason = 'denied' | 'missing' | 'busy' | 'other';

/** getUserMedia's DOMException names (Media Capture and Streams §9.2) in the words the screen uses. */
export function mediaErrorReason(err: unknown): MediaErrorReason {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'other';
}

/** Modest capture: a phone on a weak uplink should not start by encoding 1080p. */
const VIDEO_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24, max: 30 } };
const AUDIO_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * The participant's camera, microphone and shared screen: device list (kept current on
 * devicechange), switching a device (the PeerMesh replaces the track, no renegotiation), mute,
 * camera off, audio-only (stops the camera so it uses no bandwidth and the light goes off), and
 * screen sharing through getDisplayMedia.
 */
export class LocalMedia extends Emitter<LocalMediaEvents> {
  readonly stream = new MediaStream();
  private readonly screenStream = new MediaStream();
  private audio: MediaStreamTrack | undefined;
  private video: MediaStreamTrack | undefined;
  private screen: MediaStreamTrack | undefined;
  private current: LocalMediaState;
  private disposed = false;
  private readonly onDeviceChange = () => void this.refreshDevices();

  constructor(
    choice: MediaChoice,
    audioOnly: boolean,
    private readonly devices: MediaDevices = navigator.mediaDevices,
  ) {
    super();
    this.current = { micOn: true, cameraOn: !audioOnly, audioOnly, sharing: false, cameraId: choice.cameraId, micId: choice.micId };
    devices.addEventListener('devicechange', this.onDeviceChange);
  }

  get state(): LocalMediaState {
    return this.current;
  }

  /** Opens the chosen microphone and (unless audio-only) camera. Each failure is reported on its own. */
  async start(): Promise<void> {
    await this.openMic(this.current.micId);
    if (!this.current.audioOnly) await this.openCamera(this.current.cameraId);
    await this.refreshDevices();
  }

  async refreshDevices(): Promise<void> {
    if (this.disposed) return;
    try {
      this.emit('devices', await this.devices.enumerateDevices());
    } catch {
      this.emit('devices', []);
    }
  }

  async switchMic(deviceId: string): Promise<void> {
    await this.openMic(deviceId);
  }

  async switchCamera(deviceId: string): Promise<void> {
    this.set({ cameraId: deviceId });
    if (this.current.cameraOn && !this.current.audioOnly) await this.openCamera(deviceId);
  }

  setMicOn(on: boolean): void {
    // Disabling the track sends silence without renegotiating; the far side sees our media-state.
    if (this.audio) this.audio.enabled = on;
    this.set({ micOn: on });
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (on && this.current.audioOnly) return;
    if (on) await this.openCamera(this.current.cameraId);
    else this.stopCamera();
    this.set({ cameraOn: on && Boolean(this.video) });
  }

  /** Audio-only: the camera is stopped (not just hidden), so no video is encoded or sent. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    if (audioOnly === this.current.audioOnly && (audioOnly || this.video)) return;
    this.set({ audioOnly });
    if (audioOnly) {
      this.stopCamera();
      this.set({ cameraOn: false });
    } else {
      await this.openCamera(this.current.cameraId);
      this.set({ cameraOn: Boolean(this.video) });
    }
  }

  async startScreenShare(): Promise<void> {
    if (this.screen) return;
    let display: MediaStream;
    try {
      display = await this.devices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      // Cancelling the browser's picker is not an error worth showing.
      if (err instanceof Error && err.name === 'NotAllowedError') return;
      this.emit('error', { slot: 'screen', reason: mediaErrorReason(err) });
      return;
    }
    const track = display.getVideoTracks()[0];
    if (!track) return;
    // Text on a shared screen should stay sharp rather than smooth (WebRTC contentHint).
    track.contentHint = 'detail';
    // The browser's own "Stop sharing" bar ends the track.
    track.onended = () => this.stopScreenShare();
    this.screen = track;
    this.screenStream.addTrack(track);
    this.emit('track', { slot: 'screen', track, stream: this.screenStream });
    this.set({ sharing: true });
  }

  stopScreenShare(): void {
    const track = this.screen;
    if (!track) return;
    this.screen = undefined;
    track.onended = null;
    track.stop();
    this.screenStream.removeTrack(track);
    this.emit('track', { slot: 'screen', track: null, stream: this.screenStream });
    this.set({ sharing: false });
  }

  /** Emits the current tracks again (a PeerMesh created after start() picks them up). */
  announce(): void {
    this.emit('stream', this.stream);
    this.emit('track', { slot: 'audio', track: this.audio ?? null, stream: this.stream });
    this.emit('track', { slot: 'video', track: this.video ?? null, stream: this.stream });
    if (this.screen) this.emit('track', { slot: 'screen', track: this.screen, stream: this.screenStream });
    this.emit('state', this.current);
  }

  dispose(): void {
    this.disposed = true;
    this.devices.removeEventListener('devicechange', this.onDeviceChange);
    for (const t of [this.audio, this.video, this.screen]) t?.stop();
    this.audio = this.video = this.screen = undefined;
    this.clearListeners();
  }

  private async openMic(deviceId: string | undefined): Promise<void> {
    let track: MediaStreamTrack | undefined;
    try {
      const s = await this.devices.getUserMedia({ audio: { ...AUDIO_CONSTRAINTS, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
      track = s.getAudioTracks()[0];
    } catch (err) {
      this.emit('error', { slot: 'audio', reason: mediaErrorReason(err) });
      return;
    }
    if (!track || this.disposed) {
      track?.stop();
      return;
    }
    track.enabled = this.current.micOn;
    const old = this.audio;
    this.audio = track;
    if (old) this.stream.removeTrack(old);
    this.stream.addTrack(track);
    this.emit('track', { slot: 'audio', track, stream: this.stream });
    old?.stop();
    this.set({ micId: track.getSettings().deviceId ?? deviceId });
    this.emit('stream', this.stream);
  }

  private async openCamera(deviceId: string | undefined): Promise<void> {
    let track: MediaStreamTrack | undefined;
    try {
      const s = await this.devices.getUserMedia({ video: { ...VIDEO_CONSTRAINTS, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
      track = s.getVideoTracks()[0];
    } catch (err) {
      this.emit('error', { slot: 'video', reason: mediaErrorReason(err) });
      return;
    }
    if (!track || this.disposed) {
      track?.stop();
      return;
    }
    const old = this.video;
    this.video = track;
    if (old) this.stream.removeTrack(old);
    this.stream.addTrack(track);
    this.emit('track', { slot: 'video', track, stream: this.stream });
    old?.stop();
    this.set({ cameraId: track.getSettings().deviceId ?? deviceId, cameraOn: true });
    this.emit('stream', this.stream);
  }

  private stopCamera(): void {
    const old = this.video;
    if (!old) return;
    this.video = undefined;
    this.stream.removeTrack(old);
    this.emit('track', { slot: 'video', track: null, stream: this.stream });
    old.stop();
    this.emit('stream', this.stream);
  }

  private set(patch: Partial<LocalMediaState>): void {
    this.current = { ...this.current, ...patch };
    this.emit('state', this.current);
  }
}
