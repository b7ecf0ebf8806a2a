import { Badge, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod/mini';
import { errorMessage } from '../api/error-message';
import { acknowledgeAlert, alertQueue, alertsTopic, resolveAlert, subscribeTopic, ZAlertMessage, type LiveState, type TAlert } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { ErrorAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { patientNameKey, readPatientName, usePatientNames } from '../ui/patient-names';

export const ALERTS_KEY = ['monitoring', 'alerts'] as const;
const SNOOZE_MINUTES = 60;

/** An alert announced on the WebSocket, shaped as a queue entry until the queue is fetched again. */
function fromMessage(m: z.infer<typeof ZAlertMessage>): TAlert {
  return { id: m.alert, patient: m.patient, condition: m.condition, severity: m.severity, summary: m.summary, status: 'open', occurrences: 1, firstAt: m.at, lastAt: m.at, snoozedUntil: null, flag: null, task: null };
}

/**
 * The clinician's monitoring alerts, live: the queue (GET /api/monitoring/alerts) kept current by the
 * practitioner's realtime topic over /ws. A new alert shows at once and is announced politely to
 * screen readers; acknowledge, snooze and resolve act on it.
 */
export function AlertsPanel({ practitioner }: { readonly practitioner: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<LiveState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const queue = useQuery({ queryKey: ALERTS_KEY, queryFn: ({ signal }) => alertQueue(signal), enabled: Boolean(practitioner), retry: false });
  const names = usePatientNames((queue.data ?? []).map((a) => a.patient));
  const nameOf = (patient: string) => names.get(patient) ?? t('alerts.patientLoading');

  useEffect(() => {
    if (!practitioner) return undefined;
    let wasOffline = false;
    return subscribeTopic(
      alertsTopic(practitioner),
      (payload) => {
        const parsed = z.safeParse(ZAlertMessage, payload);
        if (!parsed.success) return;
        const message = parsed.data;
        queryClient.setQueryData<TAlert[]>(ALERTS_KEY, (old) => (old?.some((a) => a.id === message.alert) ? old : [fromMessage(message), ...(old ?? [])]));
        void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
        void queryClient
          .query({ queryKey: patientNameKey(message.patient), queryFn: ({ signal }) => readPatientName(message.patient, signal), staleTime: Infinity })
          .catch(() => null)
          .then((name) => {
            setAnnouncement(t('alerts.announce', { severity: message.severity === 'high' ? t('alerts.high') : t('alerts.medium'), patient: name ?? t('alerts.patientLoading'), summary: message.summary }));
          });
      },
      (state) => {
        setLive(state);
        // Back after an outage: fetch the queue again for whatever was raised meanwhile.
        if (state === 'offline') wasOffline = true;
        else if (state === 'live' && wasOffline) {
          wasOffline = false;
          void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
        }
      },
    );
  }, [practitioner, queryClient, t]);

  const act = async (alert: TAlert, action: 'acknowledge' | 'snooze' | 'resolve') => {
    setError(undefined);
    setBusy(`${alert.id}:${action}`);
    try {
      const patient = nameOf(alert.patient);
      if (action === 'resolve') {
        await resolveAlert(alert.id);
        queryClient.setQueryData<TAlert[]>(ALERTS_KEY, (old) => old?.filter((a) => a.id !== alert.id));
        setAnnouncement(t('alerts.resolvedDone', { patient }));
      } else {
        const updated = await acknowledgeAlert(alert.id, action === 'snooze' ? SNOOZE_MINUTES : undefined);
        queryClient.setQueryData<TAlert[]>(ALERTS_KEY, (old) => old?.map((a) => (a.id === alert.id ? updated : a)));
        setAnnouncement(t('alerts.acknowledgedDone', { patient }));
      }
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(undefined);
    }
  };

  const alerts = (queue.data ?? []).filter((a) => a.status !== 'resolved');
  const liveLabel = live === 'live' ? t('alerts.live') : live === 'connecting' ? t('alerts.connecting') : t('alerts.offline');

  return (
    <Panel title={t('console.alerts')} testId="panel-alerts">
      <Stack gap="sm">
        <Group gap="xs">
          <Badge variant="dot" color={live === 'live' ? 'brand.8' : 'gray.7'} data-testid="alerts-live" data-state={live}>
            {liveLabel}
          </Badge>
        </Group>
        {/* Always in the page, so screen readers hear what is written into it later (WCAG 4.1.3). */}
        <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="alerts-announcer">
          {announcement}
        </div>
        <ErrorAlert message={error} />
        {!practitioner || queue.isError ? (
          <Text c="dimmed">{t('panels.unavailable')}</Text>
        ) : queue.isPending ? (
          <Skeleton height={48} aria-hidden />
        ) : alerts.length === 0 ? (
          <Text c="dimmed">{t('alerts.empty')}</Text>
        ) : (
          <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} data-testid="alerts-list">
            {alerts.map((a) => {
              const patient = nameOf(a.patient);
              return (
                <Paper component="li" key={a.id} withBorder p="sm" data-alert={a.id} data-status={a.status}>
                  <Group justify="space-between" gap="xs" wrap="wrap">
                    <Text fw={700}>{patient}</Text>
                    <Group gap={4}>
                      <Badge color={a.severity === 'high' ? 'red.9' : 'yellow.4'} autoContrast>{a.severity === 'high' ? t('alerts.high') : t('alerts.medium')}</Badge>
                      <Badge variant="outline" color="dark.6">
                        {a.status === 'open' ? t('alerts.open') : t('alerts.acknowledged')}
                      </Badge>
                    </Group>
                  </Group>
                  <Text>{a.summary}</Text>
                  <Text size="sm" c="dimmed">
                    {t('alerts.at', { time: format.dateTime(a.lastAt) })} · {t('alerts.occurrences', { count: a.occurrences })}
                    {a.snoozedUntil ? ` · ${t('alerts.snoozedUntil', { time: format.time(a.snoozedUntil) })}` : ''}
                  </Text>
                  <Group gap="xs" mt="xs">
                    {a.status === 'open' && (
                      <>
                        <Button size="xs" onClick={() => void act(a, 'acknowledge')} loading={busy === `${a.id}:acknowledge`} aria-label={t('alerts.acknowledgeOf', { patient })}>
                          {t('alerts.acknowledge')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => void act(a, 'snooze')} loading={busy === `${a.id}:snooze`} aria-label={t('alerts.snoozeOf', { patient })}>
                          {t('alerts.snooze')}
                        </Button>
                      </>
                    )}
                    <Button size="xs" variant="default" onClick={() => void act(a, 'resolve')} loading={busy === `${a.id}:resolve`} aria-label={t('alerts.resolveOf', { patient })}>
                      {t('alerts.resolve')}
                    </Button>
                  </Group>
                </Paper>
              );
            })}
          </Stack>
        )}
      </Stack>
    </Panel>
  );
}
