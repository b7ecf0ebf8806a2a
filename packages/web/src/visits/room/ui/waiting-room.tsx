import { Alert, Button, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../i18n/format';
import { minutesWaited, type RoomState } from '../logic/room-state';

/**
 * The waiting room: the visit's details, how long one has waited, and the host's short messages,
 * announced by screen readers as they arrive. Nothing of the room is here: no peer connection
 * exists and the server sends none of its data until the host admits us.
 */
export function WaitingRoom({ room, onLeave, children }: { readonly room: RoomState; readonly onLeave: () => void; readonly children?: React.ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const connecting = room.phase === 'connecting';
  const latest = room.lobbyNotes.at(-1);
  return (
    <Stack gap="md">
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
        {t('visit.waiting.title')}
      </Title>
      {room.visit ? (
        <Paper withBorder p="md">
          <Text fw={700}>{t('visit.waiting.with', { name: room.visit.hostName })}</Text>
          <Text>{t('visit.waiting.when', { time: format.dateTime(room.visit.start), type: room.visit.visitType })}</Text>
        </Paper>
      ) : null}
      <Paper withBorder p="md" role="status" data-testid="waiting-indicator" data-state={connecting ? 'connecting' : 'waiting'}>
        {connecting ? (
          <Text>
            <Loader size="xs" mr="xs" aria-hidden />
            {t('visit.waiting.connecting')}
          </Text>
        ) : (
          <>
            <Text fw={700} fz="lg">
              {t('visit.waiting.indicator')}
            </Text>
            <Text data-testid="waiting-minutes">{t('visit.waiting.waitedFor', { minutes: minutesWaited(room.waitingSince, now) })}</Text>
          </>
        )}
      </Paper>
      {/* Always present so that a message written into it later is announced (WCAG 4.1.3). */}
      <div role="status" aria-live="assertive" aria-atomic="true" data-testid="waiting-host-message">
        {latest ? (
          <Alert color="brand" variant="filled" title={t('visit.waiting.hostMessage')}>
            <Text fz="lg">{latest.text}</Text>
            <Text size="xs">{format.time(latest.sentAt)}</Text>
          </Alert>
        ) : null}
      </div>
      <Text>{t('visit.waiting.calm')}</Text>
      {children}
      <Button size="md" variant="default" onClick={onLeave}>
        {t('visit.waiting.leave')}
      </Button>
    </Stack>
  );
}
