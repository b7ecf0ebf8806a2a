import { Button, Group, NativeSelect, Paper, Popover, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMedia } from '../managers/local-media';
import type { LocalMediaView } from './use-local-media';

/** Screen sharing needs getDisplayMedia, which phones mostly lack: the button is offered only where it works. */
const canShareScreen = () => typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/**
 * The call controls: large, labelled buttons in a toolbar (keyboard reachable, visible focus from
 * app.css). Toggle buttons expose aria-pressed so their state is announced.
 */
export function RoomControls({ local, media, host, onLeave, onEnd }: { readonly local: LocalMedia; readonly media: LocalMediaView; readonly host: boolean; readonly onLeave: () => void; readonly onEnd: () => void }) {
  const { t } = useTranslation();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const s = media.state;
  const cameras = media.devices.filter((d) => d.kind === 'videoinput');
  const mics = media.devices.filter((d) => d.kind === 'audioinput');
  const options = (list: readonly MediaDeviceInfo[]) => list.map((d, i) => ({ value: d.deviceId, label: d.label || t('visit.check.deviceUnnamed', { n: i + 1 }) }));
  return (
    <Paper withBorder p="xs" className="visit-controls" role="toolbar" aria-label={t('visit.controls.label')} data-testid="visit-controls">
      <Group gap="xs" wrap="wrap" justify="center">
        <Button size="md" variant={s.micOn ? 'default' : 'filled'} color={s.micOn ? undefined : 'red.9'} aria-pressed={!s.micOn} onClick={() => local.setMicOn(!s.micOn)} data-testid="visit-mute">
          {s.micOn ? t('visit.controls.mute') : t('visit.controls.unmute')}
        </Button>
        {!s.audioOnly ? (
          <Button size="md" variant={s.cameraOn ? 'default' : 'filled'} color={s.cameraOn ? undefined : 'red.9'} aria-pressed={!s.cameraOn} onClick={() => void local.setCameraOn(!s.cameraOn)} data-testid="visit-camera">
            {s.cameraOn ? t('visit.controls.cameraOff') : t('visit.controls.cameraOn')}
          </Button>
        ) : null}
        <Button size="md" variant={s.audioOnly ? 'filled' : 'default'} aria-pressed={s.audioOnly} onClick={() => void local.setAudioOnly(!s.audioOnly)} data-testid="visit-audio-only">
          {s.audioOnly ? t('visit.controls.backToVideo') : t('visit.controls.audioOnly')}
        </Button>
        {canShareScreen() ? (
          <Button size="md" variant={s.sharing ? 'filled' : 'default'} aria-pressed={s.sharing} onClick={() => (s.sharing ? local.stopScreenShare() : void local.startScreenShare())} data-testid="visit-share">
            {s.sharing ? t('visit.controls.stopShare') : t('visit.controls.share')}
          </Button>
        ) : null}
        <Popover position="top" withArrow trapFocus shadow="md">
          <Popover.Target>
            <Button size="md" variant="default">
              {t('visit.controls.devices')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs" miw={240}>
              {!s.audioOnly ? <NativeSelect label={t('visit.check.camera')} data={options(cameras)} value={s.cameraId ?? ''} onChange={(e) => void local.switchCamera(e.currentTarget.value)} /> : null}
              <NativeSelect label={t('visit.check.microphone')} data={options(mics)} value={s.micId ?? ''} onChange={(e) => void local.switchMic(e.currentTarget.value)} />
            </Stack>
          </Popover.Dropdown>
        </Popover>
        <Button size="md" variant="default" onClick={onLeave} data-testid="visit-leave">
          {t('visit.controls.leave')}
        </Button>
        {host && !confirmEnd ? (
          <Button size="md" color="red.9" onClick={() => setConfirmEnd(true)} data-testid="visit-end">
            {t('visit.controls.end')}
          </Button>
        ) : null}
      </Group>
      {host && confirmEnd ? (
        <Stack gap="xs" mt="xs" role="group" aria-labelledby="visit-end-question">
          <Text id="visit-end-question" fw={500}>
            {t('visit.controls.endQuestion')}
          </Text>
          <Group gap="xs">
            <Button size="md" color="red.9" onClick={onEnd} data-testid="visit-end-confirm" data-autofocus>
              {t('visit.controls.endConfirm')}
            </Button>
            <Button size="md" variant="default" onClick={() => setConfirmEnd(false)}>
              {t('visit.controls.endCancel')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Paper>
  );
}
