import { Badge, Button, Group, List, Paper, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod/mini';
import { errorMessage } from '../api/error-message';
import { acknowledgeAlert, addAlertNote, alertNotes, alertQueue, alertsTopic, resolveAlert, subscribeTopic, ZAlertMessage, type TAlert } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { ErrorAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { readPatientName } from '../ui/patient-names';

const SNOOZE_MINUTES = 60;
const alertsKey = (patient: string) => ['monitoring', 'alerts', patient] as const;
const notesKey = (id: string) => ['monitoring', 'alert-notes', id] as const;

/** Display names of note authors (Practitioner references), each read once through FHIR. */
function useAuthorNames(references: readonly string[]): ReadonlyMap<string, string> {
  const unique = [...new Set(references)].filter((r) => r.startsWith('Practitioner/'));
  const results = useQueries({
    queries: unique.map((ref) => ({ queryKey: ['fhir', 'name', ref], queryFn: ({ signal }: { signal: AbortSignal }) => readPatientName(ref, signal), staleTime: Infinity, retry: false })),
  });
  return new Map(unique.flatMap((ref, i) => (results[i]?.data ? [[ref, results[i].data] as const] : [])));
}

/**
 * One patient's alert queue on their monitoring page: acknowledge, snooze, resolve, and notes (kept
 * on the alert's Task). New alerts for this patient arrive over the practitioner's live topic.
 */
export function PatientAlerts({ patient, practitioner, patientName }: { readonly patient: string; readonly practitioner: string | undefined; readonly patientName: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [status, setStatus] = useState('');
  const queue = useQuery({ queryKey: alertsKey(patient), queryFn: ({ signal }) => alertQueue(signal, patient), retry: false });

  useEffect(() => {
    if (!practitioner) return undefined;
    return subscribeTopic(
      alertsTopic(practitioner),
      (payload) => {
        const m = z.safeParse(ZAlertMessage, payload);
        if (m.success && m.data.patient === patient) void queryClient.invalidateQueries({ queryKey: alertsKey(patient) });
      },
      () => undefined,
    );
  }, [practitioner, patient, queryClient]);

  const act = async (alert: TAlert, action: 'acknowledge' | 'snooze' | 'resolve') => {
    setError(undefined);
    setBusy(`${alert.id}:${action}`);
    try {
      if (action === 'resolve') await resolveAlert(alert.id);
      else await acknowledgeAlert(alert.id, action === 'snooze' ? SNOOZE_MINUTES : undefined);
      setStatus(action === 'resolve' ? t('alerts.resolvedDone', { patient: patientName }) : action === 'snooze' ? t('rpm.alerts.snoozed') : t('alerts.acknowledgedDone', { patient: patientName }));
      // The console home's queue and this page's share the prefix.
      await queryClient.invalidateQueries({ queryKey: ['monitoring', 'alerts'] });
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(undefined);
    }
  };

  const alerts = queue.data ?? [];
  return (
    <Panel title={t('rpm.alerts.title')} testId="panel-patient-alerts">
      <Stack gap="sm">
        <div className="visually-hidden" role="status" aria-live="polite" data-testid="patient-alerts-status">
          {status}
        </div>
        <ErrorAlert message={error ?? (queue.isError ? errorMessage(t, queue.error) : undefined)} />
        {queue.isPending ? (
          <Skeleton height={48} aria-hidden />
        ) : alerts.length === 0 ? (
          <Text c="dimmed">{t('rpm.alerts.empty')}</Text>
        ) : (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} data-testid="patient-alerts-list">
            {alerts.map((a) => (
              <AlertItem key={a.id} alert={a} busy={busy} onAct={(action) => void act(a, action)} patientName={patientName} />
            ))}
          </Stack>
        )}
      </Stack>
    </Panel>
  );
}

function AlertItem({ alert: a, busy, onAct, patientName }: { readonly alert: TAlert; readonly busy: string | undefined; readonly onAct: (action: 'acknowledge' | 'snooze' | 'resolve') => void; readonly patientName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState('');
  const notes = useQuery({ queryKey: notesKey(a.id), queryFn: ({ signal }) => alertNotes(a.id, signal), enabled: Boolean(a.task), retry: false });
  const authors = useAuthorNames((notes.data ?? []).flatMap((n) => (n.author ? [n.author] : [])));
  const noteId = `note-${a.id}`;

  const addNote = async (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved('');
    if (!text.trim()) {
      setNoteError(t('rpm.alerts.noteRequired'));
      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      queryClient.setQueryData(notesKey(a.id), await addAlertNote(a.id, text));
      setText('');
      setSaved(t('rpm.alerts.noteSaved'));
    } catch (err) {
      setNoteError(errorMessage(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper component="li" withBorder p="sm" data-alert={a.id} data-status={a.status}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text fw={700}>{a.summary}</Text>
        <Group gap={4}>
          <Badge color={a.severity === 'high' ? 'red.9' : 'yellow.4'} autoContrast>
            {a.severity === 'high' ? t('alerts.high') : t('alerts.medium')}
          </Badge>
          <Badge variant="outline" color="dark.6">
            {a.status === 'open' ? t('alerts.open') : t('alerts.acknowledged')}
          </Badge>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t('alerts.at', { time: format.dateTime(a.lastAt) })} · {t('alerts.occurrences', { count: a.occurrences })}
        {a.snoozedUntil ? ` · ${t('alerts.snoozedUntil', { time: format.time(a.snoozedUntil) })}` : ''}
      </Text>
      <Group gap="xs" mt="xs">
        {a.status === 'open' && (
          <>
            <Button size="xs" onClick={() => onAct('acknowledge')} loading={busy === `${a.id}:acknowledge`} aria-label={t('alerts.acknowledgeOf', { patient: patientName })}>
              {t('alerts.acknowledge')}
            </Button>
            <Button size="xs" variant="default" onClick={() => onAct('snooze')} loading={busy === `${a.id}:snooze`} aria-label={t('alerts.snoozeOf', { patient: patientName })}>
              {t('alerts.snooze')}
            </Button>
          </>
        )}
        <Button size="xs" variant="default" onClick={() => onAct('resolve')} loading={busy === `${a.id}:resolve`} aria-label={t('alerts.resolveOf', { patient: patientName })}>
          {t('alerts.resolve')}
        </Button>
      </Group>
      {a.task && (
        <Stack gap={4} mt="sm">
          <Text size="sm" fw={700}>
            {t('rpm.alerts.notes')}
          </Text>
          {(notes.data ?? []).length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('rpm.alerts.noNotes')}
            </Text>
          ) : (
            <List size="sm" spacing={4} data-testid="alert-notes">
              {(notes.data ?? []).map((n, i) => (
                <List.Item key={i}>
                  <Text size="sm">{n.text}</Text>
                  <Text size="xs" c="dimmed">
                    {[n.time ? format.dateTime(n.time) : '', n.author ? (authors.get(n.author) ?? '') : ''].filter(Boolean).join(' · ')}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
          <form onSubmit={(e) => void addNote(e)} noValidate>
            <Textarea id={noteId} label={t('rpm.alerts.note')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} maxLength={2000} error={noteError} />
            <Group mt="xs" gap="xs">
              <Button type="submit" size="xs" variant="light" loading={saving}>
                {t('rpm.alerts.addNote')}
              </Button>
              <Text size="sm" role="status">
                {saved}
              </Text>
            </Group>
          </form>
        </Stack>
      )}
    </Paper>
  );
}
