import type { TNote } from '@careline/contracts';
import { Button, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message';
import { addAmendment } from '../../api/record-api';
import { useFormat } from '../../i18n/format';
import { ErrorAlert } from '../../ui/page';

/** Amendments to a signed note: listed oldest first; writers append new ones (never edit the signed text). */
export function AmendmentsSection({ appointmentId, note, onChange }: { readonly appointmentId: string; readonly note: TNote; readonly onChange: (note: TNote) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => addAmendment(appointmentId, text),
    onSuccess: (next) => {
      setText('');
      onChange(next);
    },
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('record.amendments.heading')}
      </Title>
      {note.amendments.length === 0 && <Text c="dimmed">{t('record.amendments.none')}</Text>}
      {note.amendments.map((a) => (
        <Paper key={a.id} withBorder p="xs">
          <Text size="sm" c="dimmed">
            {t('record.amendments.by', { author: a.author, date: format.dateTime(a.date) })}
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{a.text}</Text>
        </Paper>
      ))}
      {note.canWrite && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) add.mutate();
          }}
        >
          <Stack gap="xs">
            <Textarea label={t('record.amendments.label')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} maxLength={20_000} data-testid="amendment-text" />
            <ErrorAlert message={add.isError ? errorMessage(t, add.error) : undefined} />
            <Button type="submit" variant="default" loading={add.isPending} disabled={!text.trim()} style={{ alignSelf: 'flex-start' }}>
              {t('record.amendments.add')}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
