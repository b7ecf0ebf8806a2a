import type { TJoinResponse } from '@careline/contracts';
import { Button, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/http';
import { joinErrorView, type JoinErrorView } from '../logic/join-error';
import { LocalMedia } from '../managers/local-media';
import { JoinErrorPage } from './join-error-view';
import { LocationPrompt } from './location-prompt';
import { PreCallCheck } from './pre-call-check';
import { useVisitSession } from './use-visit-session';
import { VisitEnded } from './visit-ended';
import { VisitRoom } from './visit-room';
import { WaitingRoom } from './waiting-room';
import './visit-room.css';

export type JoinFn = (signal: AbortSignal) => Promise<TJoinResponse>;

type Stage =
  | { readonly kind: 'joining'; readonly skipCheck: boolean }
  | { readonly kind: 'error'; readonly error: JoinErrorView }
  | { readonly kind: 'check'; readonly join: TJoinResponse }
  | { readonly kind: 'session'; readonly join: TJoinResponse; readonly attempt: number };

function toErrorView(err: unknown): JoinErrorView {
  return err instanceof ApiError ? joinErrorView(err) : { kind: 'unknown' };
}

/**
 * join → pre-call check → waiting room → room, for every entry point (join link, portal, console).
 * The page root carries what the e2e test inspects (see join-link-page.tsx).
 */
export function VisitFlow({ join, portalLink = false, wide = false }: { readonly join: JoinFn; readonly portalLink?: boolean; readonly wide?: boolean }) {
  const { t } = useTranslation();
  const [stage, setStage] = useState<Stage>({ kind: 'joining', skipCheck: false });
  const localRef = useRef<LocalMedia | undefined>(undefined);
  // Each session (first join, rejoin) mounts afresh, even if the server handed out the same ticket.
  const attempts = useRef(0);

  useEffect(() => () => localRef.current?.dispose(), []);

  useEffect(() => {
    if (stage.kind !== 'joining') return undefined;
    const controller = new AbortController();
    join(controller.signal).then(
      (response) => {
        if (controller.signal.aborted) return;
        if (!localRef.current) {
          const local = new LocalMedia({ cameraId: undefined, micId: undefined }, response.visit.mode === 'audio');
          localRef.current = local;
          void local.start();
        }
        attempts.current += 1;
        setStage(stage.skipCheck ? { kind: 'session', join: response, attempt: attempts.current } : { kind: 'check', join: response });
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setStage({ kind: 'error', error: toErrorView(err) });
      },
    );
    return () => controller.abort();
  }, [stage, join]);

  const rejoin = useCallback(() => setStage({ kind: 'joining', skipCheck: true }), []);
  const local = localRef.current;

  let body: React.ReactNode;
  if (stage.kind === 'joining' || !local) {
    body = (
      <Stack align="center" py="xl" role="status">
        <Loader aria-hidden />
        <Text>{t('visit.joining')}</Text>
      </Stack>
    );
  } else if (stage.kind === 'error') body = <JoinErrorPage error={stage.error} onRetry={() => setStage({ kind: 'joining', skipCheck: false })} portalLink={portalLink} />;
  else if (stage.kind === 'check') body = <PreCallCheck join={stage.join} local={local} onJoin={() => setStage({ kind: 'session', join: stage.join, attempt: (attempts.current += 1) })} />;
  else return <SessionView key={stage.attempt} join={stage.join} local={local} onRejoin={rejoin} wide={wide} />;
  return (
    <div data-testid="visit-page" data-phase={stage.kind} data-peer-connections={0}>
      {body}
    </div>
  );
}

function SessionView({ join, local, onRejoin, wide }: { readonly join: TJoinResponse; readonly local: LocalMedia; readonly onRejoin: () => void; readonly wide: boolean }) {
  const { t } = useTranslation();
  const session = useVisitSession(join, local);
  const { room } = session;
  const [atHome, setAtHome] = useState<boolean>();
  const sentLocation = useRef(false);
  // The answer is sent once, as soon as the socket is open (it may be given while reconnecting).
  useEffect(() => {
    if (atHome === undefined || sentLocation.current || room.connection !== 'open') return;
    sentLocation.current = session.send({ type: 'location', atHome });
  }, [atHome, room.connection, session]);

  const askLocation = join.self.kind === 'patient' ? <LocationPrompt answered={atHome !== undefined} onAnswer={setAtHome} /> : null;
  let body: React.ReactNode;
  if (room.phase === 'ended' || room.phase === 'left') body = <VisitEnded room={room} onRejoin={onRejoin} />;
  else if (room.phase === 'admitted') body = <VisitRoom session={session} local={local} locationPrompt={atHome === undefined ? askLocation : null} />;
  else
    body = (
      <WaitingRoom room={room} onLeave={session.leave}>
        {askLocation}
      </WaitingRoom>
    );
  return (
    <div
      data-testid="visit-page"
      data-phase={room.phase}
      data-connection={room.connection}
      data-peer-connections={session.peerConnections}
      data-received-types={session.receivedTypes.join(' ')}
      className={wide && room.phase === 'admitted' ? 'visit-breakout' : undefined}
    >
      {session.lost && room.phase !== 'ended' && room.phase !== 'left' ? (
        <Stack gap="xs" mb="md" role="alert" data-testid="visit-lost">
          <Text fw={700}>{t('visit.room.lost')}</Text>
          <div>
            <Button size="md" onClick={onRejoin}>
              {t('visit.room.rejoin')}
            </Button>
          </div>
        </Stack>
      ) : null}
      {body}
    </div>
  );
}
