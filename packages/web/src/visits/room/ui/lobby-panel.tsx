import type { TWaitingPeer } from '@careline/contracts';
import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minutesWaited } from '../logic/room-state';
import { Panel } from '../../../ui/panel';

/** For the host: who is waiting (live), Admit, and a short message to everyone waiting. */
export function LobbyPanel({ waiting, onAdmit, onMessage, kindLabel }: { readonly waiting: readonly TWaitingPeer[]; readonly onAdmit: (id: string) => void; readonly onMessage: (text: string) => boolean; readonly kindLabel: (p: TWaitingPeer) => string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Panel title={t('visit.lobby.title')} testId="visit-lobby">
      <Stack gap="sm">
        {waiting.length === 0 ? (
          <Text c="dimmed">{t('visit.lobby.empty')}</Text>
        ) : (
          <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-live="polite">
            {waiting.map((w) => (
              <Paper component="li" key={w.id} withBorder p="sm" data-waiting={w.id}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div>
                    <Text fw={700}>{w.displayName}</Text>
                    <Text size="sm" c="dimmed">
                      {kindLabel(w)} · {t('visit.lobby.since', { minutes: minutesWaited(w.since, now) })}
                    </Text>
                  </div>
                  <Button size="md" onClick={() => onAdmit(w.id)} aria-label={t('visit.lobby.admitNamed', { name: w.displayName })} data-testid="visit-admit">
                    {t('visit.lobby.admit')}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const trimmed = text.trim();
            if (!trimmed) return;
            if (onMessage(trimmed)) {
              setText('');
              setStatus(t('visit.lobby.messageSent'));
            }
          }}
        >
          <TextInput label={t('visit.lobby.message')} placeholder={t('visit.lobby.messageHint')} value={text} onChange={(e) => setText(e.currentTarget.value)} maxLength={280} />
          <Group justify="space-between" mt="xs">
            <Text size="sm" role="status">
              {status}
            </Text>
            <Button type="submit" size="md" variant="default">
              {t('visit.lobby.sendMessage')}
            </Button>
          </Group>
        </form>
      </Stack>
    </Panel>
  );
}
