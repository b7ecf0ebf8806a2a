import type { TChatMessage } from '@careline/contracts';
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../i18n/format';
import { CHAT_MAX, type ChatLog } from '../logic/chat-log';
import { Panel } from '../../../ui/panel';

/** The in-visit chat: a log announced politely to screen readers, and a labelled box (Enter sends, Shift+Enter breaks the line). */
export function ChatPanel({ messages, chat, selfId }: { readonly messages: readonly TChatMessage[]; readonly chat: ChatLog; readonly selfId: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string>();
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length]);
  const submit = () => {
    const outcome = chat.submit(draft);
    if (outcome === 'sent') {
      setDraft('');
      setProblem(undefined);
    } else if (outcome === 'too-long') setProblem(t('visit.chat.tooLong'));
    else if (outcome === 'offline') setProblem(t('visit.chat.offline'));
  };
  return (
    <Panel title={t('visit.chat.title')} testId="visit-chat">
      <Stack gap="xs">
        <div ref={list} className="visit-chat-log" role="log" aria-live="polite" aria-label={t('visit.chat.title')} tabIndex={0} data-testid="visit-chat-log">
          {messages.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('visit.chat.empty')}
            </Text>
          ) : (
            messages.map((m) => (
              <div key={m.id} className={m.from === selfId ? 'visit-chat-own' : undefined} data-chat-id={m.id}>
                <Text size="xs" c="dimmed">
                  {m.displayName} · {format.time(m.sentAt)}
                </Text>
                <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.text}</Text>
              </div>
            ))
          )}
        </div>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Textarea
            label={t('visit.chat.label')}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                submit();
              }
            }}
            autosize
            minRows={1}
            maxRows={4}
            maxLength={CHAT_MAX}
            error={problem}
            data-testid="visit-chat-input"
          />
          <Group justify="space-between" mt="xs">
            <Text size="xs" c="dimmed">
              {t('visit.chat.saved')}
            </Text>
            <Button type="submit" size="md">
              {t('visit.chat.send')}
            </Button>
          </Group>
        </form>
      </Stack>
    </Panel>
  );
}
