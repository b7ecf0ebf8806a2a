import type { TNote, TVisitRecord } from '@careline/contracts';
import { Alert, Badge, Divider, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message';
import { recordKeys, visitRecord } from '../../api/record-api';
import { useFormat } from '../../i18n/format';
import { ErrorAlert } from '../../ui/page';
import { AmendmentsSection } from './amendments-section';
import { DiagnosesSection } from './diagnoses-section';
import { NoteEditor } from './note-editor';
import { PrescriptionsSection } from './prescriptions-section';
import { SOAP_SECTIONS } from '@careline/contracts';

/** The visit record as the clinician edits it (GET /api/visits/:id/record), shared with the record page. */
export function useVisitRecord(appointmentId: string) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: recordKeys.record(appointmentId),
    queryFn: ({ signal }) => visitRecord(appointmentId, signal),
    // The draft is edited locally; a background refetch must not replace what is being typed.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
    retry: false,
  });
  const setNote = useCallback(
    (note: TNote) => client.setQueryData<TVisitRecord>(recordKeys.record(appointmentId), (old) => (old ? { ...old, note } : old)),
    [client, appointmentId],
  );
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: recordKeys.record(appointmentId) }), [client, appointmentId]);
  return { query, setNote, reload };
}

/** The clinician's note panel for a visit (SOAP with autosave, diagnoses, prescriptions, sign, amendments). */
export function VisitNotePanel({ appointmentId }: { readonly appointmentId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { query, setNote, reload } = useVisitRecord(appointmentId);
  if (query.isPending) return <Skeleton height={240} aria-hidden />;
  if (query.isError) return <ErrorAlert message={errorMessage(t, query.error)} />;
  const record = query.data;
  const { note } = record;
  const started = record.encounter !== undefined;
  const signed = note.status === 'signed';
  const editable = note.canWrite && started && !signed;
  return (
    <Stack gap="md" data-testid="visit-note-panel" data-status={note.status}>
      <Title order={2} size="h4">
        {t('record.note.heading')}
      </Title>
      {!started && <Alert variant="light">{t('record.note.notStarted')}</Alert>}
      {started && !note.canWrite && !signed && <Text c="dimmed">{t('record.note.readOnly')}</Text>}
      {editable && <NoteEditor appointmentId={appointmentId} note={note} onChange={setNote} onReload={reload} />}
      {(signed || (started && !note.canWrite)) && (
        <Stack gap="xs" data-testid="note-read-only">
          <Group gap="xs">
            <Badge color={signed ? 'green.9' : 'gray'} variant="light">
              {signed ? t('record.note.signed') : t('record.note.draft')}
            </Badge>
            {signed && note.signedAt && (
              <Text size="sm" c="dimmed">
                {t('record.note.signedBy', { name: note.signedBy ?? '', date: format.dateTime(note.signedAt) })}
              </Text>
            )}
          </Group>
          {SOAP_SECTIONS.map((s) => (
            <div key={s}>
              <Text fw={700}>{t(`record.note.${s}`)}</Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{note.soap[s] || '—'}</Text>
            </div>
          ))}
        </Stack>
      )}
      {signed && <AmendmentsSection appointmentId={appointmentId} note={note} onChange={setNote} />}
      <Divider />
      <DiagnosesSection appointmentId={appointmentId} diagnoses={record.diagnoses} editable={editable} onChange={reload} />
      <Divider />
      <PrescriptionsSection appointmentId={appointmentId} prescriptions={record.prescriptions} editable={editable} onChange={reload} />
    </Stack>
  );
}
