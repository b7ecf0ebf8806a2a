/** The scheduling panels of the two homes: a patient's next visits (join when open) and a clinician's day. */
import { Anchor, Group, List, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { calendarAppointments, myAppointments, schedulingKeys } from '../../api/scheduling-api';
import { Panel } from '../../ui/panel';
import { AppointmentCard } from './appointment-card';
import { languageName, modeLabel } from './labels';
import { useNow, useVisitFormat } from './visit-time';
import { dateIn, dayBounds } from './zoned-time';

/** Patient home: the next three visits, each with its join button when its window is open. */
export function NextVisitsPanel({ title, enabled }: { readonly title: string; readonly enabled: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const mine = useQuery({ queryKey: schedulingKeys.mine, queryFn: ({ signal }) => myAppointments(signal), enabled, retry: false });
  const next = (mine.data?.upcoming ?? []).filter((a) => a.status === 'booked' || a.status === 'arrived').slice(0, 3);
  return (
    <Panel title={title} testId="panel-visits">
      <Stack gap="sm">
        {!enabled || mine.isError ? (
          <Text c="dimmed">{t('panels.unavailable')}</Text>
        ) : mine.isPending ? (
          <Skeleton height={48} aria-hidden />
        ) : next.length === 0 ? (
          <Text>{t('scheduling.list.noUpcoming')}</Text>
        ) : (
          next.map((a) => <AppointmentCard key={a.id} appointment={a} now={now} headingLevel={3} />)
        )}
        <Group gap="md">
          <Anchor component={Link} to="/portal/appointments">
            {t('scheduling.home.all')}
          </Anchor>
          <Anchor component={Link} to="/portal/appointments/book">
            {t('scheduling.list.book')}
          </Anchor>
        </Group>
      </Stack>
    </Panel>
  );
}

/** Clinician home: today's visits in time order, with patient, visit type, mode and needs. */
export function TodaySchedulePanel({ title, practitioner }: { readonly title: string; readonly practitioner: string | undefined }) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  const now = useNow(60_000);
  const bounds = dayBounds(dateIn(now, format.viewerZone), format.viewerZone);
  const from = bounds.start.toISOString();
  const to = bounds.end.toISOString();
  const day = useQuery({
    queryKey: schedulingKeys.calendar(from, to, practitioner),
    queryFn: ({ signal }) => calendarAppointments({ from, to, ...(practitioner ? { practitioner } : {}) }, signal),
    enabled: Boolean(practitioner),
    retry: false,
  });
  const visits = (day.data ?? []).filter((a) => a.status !== 'cancelled').sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return (
    <Panel title={title} testId="panel-schedule">
      <Stack gap="sm">
        {!practitioner || day.isError ? (
          <Text c="dimmed">{t('panels.unavailable')}</Text>
        ) : day.isPending ? (
          <Skeleton height={48} aria-hidden />
        ) : visits.length === 0 ? (
          <Text>{t('scheduling.home.nothingToday')}</Text>
        ) : (
          <List spacing="xs" listStyleType="none" p={0} data-testid="today-list">
            {visits.map((a) => (
              <List.Item key={a.id}>
                <Text>
                  <strong>{format.time(a.start)}</strong> {a.patient.display} · {a.visitType.display} · {modeLabel(t, a.visitType.mode)}
                  {a.preferredLanguage && !i18n.language.startsWith(a.preferredLanguage) ? ` · ${t('scheduling.calendar.language', { language: languageName(i18n.language, a.preferredLanguage) })}` : ''}
                  {a.interpreterNeeded ? ` · ${t('scheduling.calendar.interpreter')}` : ''}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
        <Anchor component={Link} to="/console/schedule">
          {t('scheduling.home.openSchedule')}
        </Anchor>
      </Stack>
    </Panel>
  );
}
