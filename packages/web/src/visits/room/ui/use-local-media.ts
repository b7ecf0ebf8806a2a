import { useEffect, useState } from 'react';
import type { LocalMedia, LocalMediaState, MediaErrorReason } from '../managers/local-media';
import type { LocalSlot } from '../managers/peer-mesh';

export interface LocalMediaView {
  readonly state: LocalMediaState;
  readonly devices: readonly MediaDeviceInfo[];
  /** A new object each time the tracks change, so previews re-attach. */
  readonly stream: MediaStream;
  readonly version: number;
  readonly error: { readonly slot: LocalSlot; readonly reason: MediaErrorReason } | undefined;
}

/** LocalMedia's events as React state. */
export function useLocalMedia(local: LocalMedia): LocalMediaView {
  const [state, setState] = useState(local.state);
  const [devices, setDevices] = useState<readonly MediaDeviceInfo[]>([]);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<LocalMediaView['error']>();
  useEffect(() => {
    const offs = [
      local.on('state', (s) => {
        setState(s);
        setError((e) => (e && ((e.slot === 'video' && s.cameraOn) || e.slot === 'screen') ? undefined : e));
      }),
      local.on('devices', setDevices),
      local.on('stream', () => setVersion((v) => v + 1)),
      local.on('error', setError),
    ];
    void local.refreshDevices();
    setState(local.state);
    return () => {
      for (const off of offs) off();
    };
  }, [local]);
  return { state, devices, stream: local.stream, version, error };
}
