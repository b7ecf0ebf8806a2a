import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RoomState } from '../logic/room-state';

/** After the visit: why it ended, and (when one left by hand) a way back in. */
export function VisitEnded({ room, onRejoin }: { readonly room: RoomState; readonly onRejoin: () => void }) {
  const { t } = useTranslation();
  const left = room.phase === 'left';
  const reason = room.endedReason === 'cancelled' ? t('visit.ended.cancelled') : room.endedReason === 'expired' ? t('visit.ended.expired') : t('visit.ended.hostEnded');
  return (
    <Stack gap="md" data-testid="visit-ended" data-reason={left ? 'left' : (room.endedReason ?? 'host-ended')}>
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
        {left ? t('visit.ended.left') : t('visit.ended.title')}
      </Title>
      <Text role="status">{left ? t('visit.ended.leftHint') : reason}</Text>
      {left ? (
        <Button size="md" onClick={onRejoin}>
          {t('visit.ended.rejoin')}
        </Button>
      ) : (
        <Text c="dimmed">{t('visit.ended.close')}</Text>
      )}
    </Stack>
  );
}
