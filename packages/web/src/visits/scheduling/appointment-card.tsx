/** One visit as a patient sees it: when (their zone, and the clinic's when different), who, how, and what they can do. */
import type { TAppointment } from '@careline/contracts';
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { languageName, modeLabel, statusLabel } from './labels';
import { DEFAULT_JOIN_EARLY_MINUTES, joinState, relativeDay, useVisitFormat } from './visit-time';

export function joinPath(appointmentId: string): string {
  return `/portal/visits/${encodeURIComponent(appointmentId)}/join`;
}

export function AppointmentCard({
  appointment: a,
  now,
  onCancel,
  actions = true,
  headingLevel = 3,
}: {
  readonly appointment: TAppointment;
  readonly now: Date;
  readonly onCancel?: (a: TAppointment) => void;
  readonly actions?: boolean;
  readonly headingLevel?: 2 | 3 | 4;
}) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  const rel = relativeDay(new Date(a.start), now, format.viewerZone);
  const dayLabel = rel ? `${t(`scheduling.when.${rel}`)}, ${format.day(a.start, now)}` : format.day(a.start, now);
  const other = format.inZone(a.start, a.timeZone);
  const active = a.status === 'booked' || a.status === 'arrived';
  const remote = a.visitType.mode !== 'in-person';
  const join = active && remote ? joinState(now, a.start, a.end) : 'closed';
  const H = `h${headingLevel}` as const;
  return (
    <Paper component="article" withBorder p="md" data-testid="appointment" data-appointment={a.id} data-status={a.status} aria-labelledby={`appt-${a.id}`}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Text component={H} id={`appt-${a.id}`} fw={700} fz="lg" m={0}>
            {dayLabel}, {format.timeRange(a.start, a.end)}
          </Text>
          <Group gap={4}>
            <Badge variant="outline" color={a.visitType.mode === 'video' ? 'brand.9' : 'gray.8'} size="lg">
              {modeLabel(t, a.visitType.mode)}
            </Badge>
            {a.status !== 'booked' ? (
              <Badge variant="outline" color={a.status === 'cancelled' ? 'red.9' : 'gray.8'} size="lg">
                {statusLabel(t, a.status)}
              </Badge>
            ) : null}
          </Group>
        </Group>
        {other ? <Text size="sm">{t('scheduling.when.otherZone', { time: other })}</Text> : null}
        <Text>
          {a.visitType.display} {t('scheduling.list.with', { name: a.practitioner.display })}
        </Text>
        {a.reason ? <Text size="sm">{t('scheduling.list.reason', { reason: a.reason })}</Text> : null}
        {a.preferredLanguage || a.interpreterNeeded ? (
          <Text size="sm">
            {a.preferredLanguage ? t('scheduling.list.language', { language: languageName(i18n.language, a.preferredLanguage) }) : ''}
            {a.preferredLanguage && a.interpreterNeeded ? ' · ' : ''}
            {a.interpreterNeeded ? t('scheduling.list.interpreter') : ''}
          </Text>
        ) : null}
        {a.status === 'cancelled' && a.cancelReason ? <Text size="sm">{t('scheduling.list.cancelledBecause', { reason: a.cancelReason })}</Text> : null}
        {actions && active ? (
          <Stack gap="xs" mt={4}>
            {join === 'open' ? (
              <Button component={Link} to={joinPath(a.id)} size="lg" color="brand.9" data-testid="join-visit">
                {t('scheduling.list.join')}
              </Button>
            ) : join === 'not-yet' && remote && rel === 'today' ? (
              <Text size="sm">{t('scheduling.list.joinSoon', { time: format.time(new Date(Date.parse(a.start) - DEFAULT_JOIN_EARLY_MINUTES * 60_000)) })}</Text>
            ) : null}
            {a.canChange ? (
              <Group gap="sm">
                <Button component={Link} to={`/portal/appointments/book?reschedule=${encodeURIComponent(a.id)}`} variant="default" size="md">
                  {t('scheduling.list.reschedule')}
                </Button>
                {onCancel ? (
                  <Button variant="default" size="md" color="red.9" onClick={() => onCancel(a)}>
                    {t('scheduling.list.cancel')}
                  </Button>
                ) : null}
              </Group>
            ) : (
              <Text size="sm">{t('scheduling.list.changeClosed')}</Text>
            )}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
