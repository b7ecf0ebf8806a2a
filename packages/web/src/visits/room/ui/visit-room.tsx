import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LiveVitals } from '../../record/live-vitals';
import { VisitNotePanel } from '../../record/visit-note-panel';
import { VitalsForm } from '../../record/vitals-form';
import type { LocalMedia } from '../managers/local-media';
import { ChatPanel } from './chat-panel';
import { GuestPanel } from './guest-panel';
import { LobbyPanel } from './lobby-panel';
import { kindLabel, mediaStatus } from './peer-label';
import { RoomControls } from './room-controls';
import { useLocalMedia } from './use-local-media';
import type { VisitSession } from './use-visit-session';
import { VideoTile } from './video-tile';

/**
 * The visit room once admitted: the video grid (stacked on a phone), the controls, and beside them
 * the lobby and the note for the host, the chat, guests, and live vitals.
 */
export function VisitRoom({ session, local, locationPrompt }: { readonly session: VisitSession; readonly local: LocalMedia; readonly locationPrompt: React.ReactNode }) {
  const { t } = useTranslation();
  const media = useLocalMedia(local);
  const { room } = session;
  const self = room.self;
  const appointmentId = room.visit?.appointmentId;
  const host = self?.host === true;
  const clinician = self?.kind === 'clinician';
  const sharedScreens = room.peers.flatMap((p) => {
    const screen = session.remote.get(p.id)?.screen;
    return screen ? [{ peer: p, screen }] : [];
  });
  return (
    <div className="visit-room" data-testid="visit-room">
      <div className="visit-main">
        <Title order={1} className="visually-hidden">
          {t('visit.title')}
        </Title>
        {room.connection === 'reconnecting' ? (
          <Alert color="orange" variant="light" role="status" data-testid="visit-reconnecting">
            {t('visit.room.reconnecting')}
          </Alert>
        ) : null}
        {session.weakSwitched ? (
          <Alert color="orange" variant="light" role="status" data-testid="visit-weak">
            <Text>{t('visit.room.weak')}</Text>
            <Button size="md" mt="xs" variant="default" onClick={() => void session.tryVideoAgain()}>
              {t('visit.room.tryVideo')}
            </Button>
          </Alert>
        ) : null}
        <section className="visit-grid" aria-label={t('visit.room.videos')} data-count={room.peers.length + 1}>
          {sharedScreens.map(({ peer, screen }) => (
            <VideoTile key={`screen-${peer.id}`} stream={screen} label={t('visit.room.screenOf', { name: peer.displayName })} screen testId="visit-tile-screen" />
          ))}
          {room.peers.map((p) => {
            const remote = session.remote.get(p.id);
            return (
              <VideoTile
                key={p.id}
                stream={remote?.main}
                label={`${p.displayName} (${kindLabel(t, p)})`}
                status={remote?.main ? mediaStatus(t, room.mediaStates[p.id]) : t('visit.room.connectingPeer')}
                testId="visit-tile-peer"
              />
            );
          })}
          <VideoTile key={`self-${String(media.version)}`} stream={media.stream} label={t('visit.room.you', { name: self?.displayName ?? '' })} status={mediaStatus(t, { audio: media.state.micOn, video: media.state.cameraOn, screen: media.state.sharing, audioOnly: media.state.audioOnly })} self testId="visit-tile-self" />
        </section>
        {room.peers.length === 0 ? (
          <Text c="dimmed" role="status">
            {t('visit.room.alone')}
          </Text>
        ) : null}
        <RoomControls local={local} media={media} host={host} onLeave={session.leave} onEnd={() => session.send({ type: 'end' })} />
        {locationPrompt}
        {room.vitals.length > 0 ? (
          <section aria-label={t('visit.vitals')}>
            <LiveVitals vitals={room.vitals} />
          </section>
        ) : null}
        {self?.kind === 'telepresenter' && appointmentId ? <VitalsForm appointmentId={appointmentId} /> : null}
      </div>
      <Stack className="visit-side" gap="md">
        {clinician ? <LobbyPanel waiting={room.lobby} onAdmit={(id) => session.send({ type: 'admit', participantId: id })} onMessage={(text) => session.send({ type: 'lobby-message', text })} kindLabel={(p) => kindLabel(t, p)} /> : null}
        {host && appointmentId ? <VisitNotePanel appointmentId={appointmentId} /> : null}
        <ChatPanel messages={room.chat} chat={session.chat} selfId={self?.id} />
        {host && appointmentId ? <GuestPanel appointmentId={appointmentId} /> : null}
      </Stack>
    </div>
  );
}
