import { Button, Checkbox, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message';
import { deleteTimeEntry, logTime, timeEntries } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { ErrorAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { localMinute, parseDecimal } from './reading-form';
import { ScrollRegion } from './scroll-region';
import { elapsedSeconds, formatDuration, monthOf } from './time-format';

interface Timer {
  readonly startedAt: number;
}
/** The running timer survives a reload of this tab (sessionStorage is cleared at sign-out). */
const timerKey = (patient: string) => `careline.rpm-timer.${patient}`;
function loadTimer(patient: string): Timer | undefined {
  try {
    const n = Number(sessionStorage.getItem(timerKey(patient)));
    return Number.isFinite(n) && n > 0 ? { startedAt: n } : undefined;
  } catch {
    return undefined;
  }
}
function saveTimer(patient: string, timer: Timer | undefined): void {
  try {
    if (timer) sessionStorage.setItem(timerKey(patient), String(timer.startedAt));
    else sessionStorage.removeItem(timerKey(patient));
  } catch {
    // storage unavailable: the timer lives in memory only
  }
}

/** Treatment-management time for one patient: a start/stop timer, manual entries, this month's list. */
export function TimePanel({ patient }: { readonly patient: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const month = monthOf(new Date());
  const key = ['monitoring', 'time', patient, month] as const;
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => timeEntries(patient, month, signal), retry: false });
  const [timer, setTimer] = useState<Timer | undefined>(() => loadTimer(patient));
  const [now, setNow] = useState(() => Date.now());
  const [interactive, setInteractive] = useState(false);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [manual, setManual] = useState({ start: localMinute(new Date(Date.now() - 20 * 60_000)), minutes: '', note: '', interactive: false });
  const [manualErrors, setManualErrors] = useState<{ start?: string; minutes?: string }>({});

  useEffect(() => {
    if (!timer) return undefined;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [timer]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['monitoring', 'time', patient] });
  const run = async (work: () => Promise<string>) => {
    setError(undefined);
    setBusy(true);
    try {
      setStatus(await work());
      await refresh();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const start = () => {
    const next = { startedAt: Date.now() };
    setTimer(next);
    setNow(next.startedAt);
    saveTimer(patient, next);
    setStatus('');
  };
  const stop = () =>
    run(async () => {
      if (!timer) return '';
      const seconds = elapsedSeconds(timer.startedAt, Date.now());
      if (seconds < 1) {
        setTimer(undefined);
        saveTimer(patient, undefined);
        return t('rpm.time.tooShort');
      }
      await logTime({ patient, start: new Date(timer.startedAt).toISOString(), seconds: Math.min(seconds, 86_400), interactive });
      setTimer(undefined);
      saveTimer(patient, undefined);
      setInteractive(false);
      return t('rpm.time.saved', { time: formatDuration(seconds) });
    });

  const addManual = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    const minutes = parseDecimal(manual.minutes);
    const startAt = new Date(manual.start);
    const errors: { start?: string; minutes?: string } = {};
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) errors.minutes = t('rpm.time.minutesInvalid');
    if (Number.isNaN(startAt.getTime()) || (Number.isFinite(minutes) && startAt.getTime() + minutes * 60_000 > Date.now() + 60_000)) errors.start = t('rpm.time.startInvalid');
    setManualErrors(errors);
    if (errors.start || errors.minutes) return;
    void run(async () => {
      await logTime({ patient, start: startAt.toISOString(), seconds: minutes * 60, interactive: manual.interactive, ...(manual.note.trim() ? { note: manual.note.trim() } : {}) });
      setManual((m) => ({ ...m, minutes: '', note: '', interactive: false }));
      return t('rpm.time.saved', { time: formatDuration(minutes * 60) });
    });
  };

  const entries = list.data?.entries ?? [];
  return (
    <Panel title={t('rpm.time.title')} testId="panel-time">
      <Stack gap="md">
        <Text fw={700} data-testid="time-month">
          {t('rpm.time.month', { time: formatDuration(list.data?.seconds ?? 0) })}
        </Text>
        <Group gap="sm" align="center" wrap="wrap">
          {timer ? (
            <Button onClick={() => void stop()} loading={busy} color="red.8">
              {t('rpm.time.stop')}
            </Button>
          ) : (
            <Button onClick={start}>{t('rpm.time.start')}</Button>
          )}
          {/* role=timer: a live region that is not announced every second (WAI-ARIA 1.2). */}
          <Text role="timer" aria-atomic="true" data-testid="time-running">
            {timer ? t('rpm.time.running', { time: formatDuration(elapsedSeconds(timer.startedAt, now)) }) : t('rpm.time.stopped')}
          </Text>
        </Group>
        <Checkbox label={t('rpm.time.interactive')} checked={interactive} onChange={(e) => setInteractive(e.currentTarget.checked)} />
        <Text role="status" aria-live="polite" size="sm" data-testid="time-status">
          {status}
        </Text>
        <ErrorAlert message={error} />

        <form onSubmit={addManual} noValidate aria-labelledby="rpm-time-manual">
          <Title order={3} fz="h5" id="rpm-time-manual" mb="xs">
            {t('rpm.time.manual')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput type="datetime-local" label={t('rpm.time.start_at')} value={manual.start} onChange={(e) => setManual({ ...manual, start: e.currentTarget.value })} error={manualErrors.start} required />
            <TextInput inputMode="numeric" label={t('rpm.time.minutes')} value={manual.minutes} onChange={(e) => setManual({ ...manual, minutes: e.currentTarget.value })} error={manualErrors.minutes} required />
            <TextInput label={t('rpm.time.note')} value={manual.note} maxLength={2000} onChange={(e) => setManual({ ...manual, note: e.currentTarget.value })} />
            <Checkbox mt={{ sm: 'xl' }} label={t('rpm.time.interactive')} checked={manual.interactive} onChange={(e) => setManual({ ...manual, interactive: e.currentTarget.checked })} />
          </SimpleGrid>
          <Button type="submit" mt="sm" variant="light" loading={busy}>
            {t('rpm.time.add')}
          </Button>
        </form>

        <Title order={3} fz="h5">
          {t('rpm.time.entries')}
        </Title>
        {entries.length === 0 ? (
          <Text c="dimmed">{t('rpm.time.none')}</Text>
        ) : (
          <ScrollRegion label={t('rpm.time.entries')} minWidth={420}>
            <Table striped data-testid="time-entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('rpm.time.colStart')}</Table.Th>
                  <Table.Th scope="col">{t('rpm.time.colDuration')}</Table.Th>
                  <Table.Th scope="col">{t('rpm.time.colInteractive')}</Table.Th>
                  <Table.Th scope="col">{t('rpm.time.colNote')}</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t('rpm.time.delete')}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{format.dateTime(e.start)}</Table.Td>
                    <Table.Td>{formatDuration(e.seconds)}</Table.Td>
                    <Table.Td>{e.interactive ? t('rpm.time.interactiveYes') : '—'}</Table.Td>
                    <Table.Td>{e.note ?? ''}</Table.Td>
                    <Table.Td>
                      {e.deletable && (
                        <Button size="xs" variant="subtle" color="red.9" aria-label={t('rpm.time.deleteOf', { time: format.dateTime(e.start) })} onClick={() => void run(async () => (await deleteTimeEntry(e.id), t('rpm.time.deleted')))}>
                          {t('rpm.time.delete')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
      </Stack>
    </Panel>
  );
}
