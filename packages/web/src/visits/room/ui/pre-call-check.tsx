import type { TJoinResponse } from '@careline/contracts';
import { Alert, Button, Checkbox, Grid, Group, Loader, NativeSelect, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { meterLevel, playTestTone } from '../managers/audio-tools';
import type { LocalMedia } from '../managers/local-media';
import { runNetworkCheck, type NetworkCheckResult } from '../managers/network-check';
import { mediaErrorKey } from './media-error';
import { useLocalMedia } from './use-local-media';
import { VideoTile } from './video-tile';

/**
 * The pre-call check: camera preview and choice, microphone choice with a level meter, a speaker
 * test tone, and a network check through the clinic's ICE servers with a plain verdict that
 * suggests audio-only on a weak link. Its two loopback RTCPeerConnections are closed before the
 * waiting room opens.
 */
export function PreCallCheck({ join, local, onJoin }: { readonly join: TJoinResponse; readonly local: LocalMedia; readonly onJoin: (audioOnly: boolean) => void }) {
  const { t } = useTranslation();
  const media = useLocalMedia(local);
  const audioVisit = join.visit.mode === 'audio';
  const [level, setLevel] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [network, setNetwork] = useState<NetworkCheckResult | 'running'>('running');
  const [run, setRun] = useState(0);
  const [audioOnly, setAudioOnly] = useState(audioVisit || media.state.audioOnly);

  useEffect(() => meterLevel(media.stream, setLevel), [media.stream, media.version]);

  useEffect(() => {
    const controller = new AbortController();
    setNetwork('running');
    void runNetworkCheck({ iceServers: join.iceServers.map((s) => ({ ...s })), iceTransportPolicy: join.iceTransportPolicy, signal: controller.signal }).then((r) => {
      if (controller.signal.aborted) return;
      setNetwork(r);
      // A poor link: audio-only is pre-selected (the user can still choose video).
      if (r.verdict === 'poor') setAudioOnly(true);
    });
    return () => controller.abort();
  }, [join, run]);

  useEffect(() => {
    void local.setAudioOnly(audioOnly);
  }, [local, audioOnly]);

  const cameras = media.devices.filter((d) => d.kind === 'videoinput');
  const mics = media.devices.filter((d) => d.kind === 'audioinput');
  const options = (list: readonly MediaDeviceInfo[]) => list.map((d, i) => ({ value: d.deviceId, label: d.label || t('visit.check.deviceUnnamed', { n: i + 1 }) }));

  return (
    <Stack gap="md" data-testid="visit-precall">
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
        {t('visit.check.title')}
      </Title>
      <Text>{t('visit.check.intro')}</Text>
      {media.error ? (
        <Alert color="orange" variant="light" role="alert">
          {t(mediaErrorKey(media.error.slot, media.error.reason))}
        </Alert>
      ) : null}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          {audioOnly ? (
            <Paper withBorder p="md" className="visit-no-picture">
              <Text c="dimmed">{audioVisit ? t('visit.check.audioOnlyVisit') : t('visit.check.noPicture')}</Text>
            </Paper>
          ) : (
            <VideoTile key={media.version} stream={media.stream} label={t('visit.check.preview')} self testId="precall-preview" />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Stack gap="sm">
            {!audioOnly ? <NativeSelect size="md" label={t('visit.check.camera')} data={options(cameras)} value={media.state.cameraId ?? ''} onChange={(e) => void local.switchCamera(e.currentTarget.value)} disabled={cameras.length === 0} /> : null}
            <NativeSelect size="md" label={t('visit.check.microphone')} data={options(mics)} value={media.state.micId ?? ''} onChange={(e) => void local.switchMic(e.currentTarget.value)} disabled={mics.length === 0} />
            <div>
              <Text size="sm" fw={500} id="visit-mic-level">
                {t('visit.check.micLevel')}
              </Text>
              <Progress value={level} size="lg" aria-labelledby="visit-mic-level" transitionDuration={60} data-testid="precall-mic-level" />
              <Text size="sm" c="dimmed">
                {t('visit.check.micHint')}
              </Text>
            </div>
          </Stack>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="md">
        <Text fw={700}>{t('visit.check.speaker')}</Text>
        <Group mt="xs">
          <Button
            size="md"
            variant="default"
            loading={playing}
            onClick={() => {
              setPlaying(true);
              void playTestTone().finally(() => setPlaying(false));
            }}
          >
            {playing ? t('visit.check.playing') : t('visit.check.playTone')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed" mt="xs">
          {t('visit.check.speakerHint')}
        </Text>
      </Paper>
      <Paper withBorder p="md" data-testid="precall-network" data-verdict={network === 'running' ? 'running' : network.verdict}>
        <Text fw={700}>{t('visit.check.network')}</Text>
        <div role="status" aria-live="polite">
          {network === 'running' ? (
            <Text>
              <Loader size="xs" mr="xs" aria-hidden />
              {t('visit.check.checking')}
            </Text>
          ) : (
            <>
              <Text fw={500} c={network.verdict === 'good' ? 'green.9' : network.verdict === 'fair' ? 'orange.9' : 'red.9'}>
                {t(`visit.check.${network.verdict}`)}
              </Text>
              {network.rttMs !== undefined && network.kbps !== undefined ? (
                <Text size="sm" c="dimmed">
                  {t('visit.check.details', { rtt: Math.round(network.rttMs), kbps: Math.round(network.kbps) })}
                </Text>
              ) : null}
              {!network.relayed ? (
                <Text size="sm" c="dimmed">
                  {t('visit.check.localOnly')}
                </Text>
              ) : null}
            </>
          )}
        </div>
        {network !== 'running' ? (
          <Button size="sm" variant="subtle" mt="xs" onClick={() => setRun((r) => r + 1)}>
            {t('visit.check.recheck')}
          </Button>
        ) : null}
      </Paper>
      {!audioVisit ? <Checkbox size="md" label={t('visit.check.audioOnly')} checked={audioOnly} onChange={(e) => setAudioOnly(e.currentTarget.checked)} /> : null}
      <Button size="lg" onClick={() => onJoin(audioOnly)} data-testid="visit-join-button">
        {t('visit.check.join')}
      </Button>
    </Stack>
  );
}
