/**
 * /console/schedule: the clinic's calendar by day or week (or as a list), for clinicians (their own
 * by default) and the front desk (any clinician, or all). View, date and clinician live in the
 * address, so Back and a shared link keep them.
 */
import type { TAppointment } from '@careline/contracts';
import { Button, Group, NativeSelect, SegmentedControl, Skeleton, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { bookablePractitioners, calendarAppointments, schedulingKeys } from '../../api/scheduling-api';
import { useMe } from '../../auth/session';
import { ErrorAlert, Page } from '../../ui/page';
import { AppointmentDetails } from './appointment-details';
import { CalendarGrid, CalendarTable } from './calendar-view';
import { schedulingError } from './labels';
import { useVisitFormat } from './visit-time';
import { addDays, dateIn, dayBounds, isCalendarDate, weekDays } from './zoned-time';

type View = 'day' | 'week' | 'list';
const ALL = 'all';

export default function SchedulePage() {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<TAppointment>();
  const zone = format.viewerZone;
  const today = dateIn(new Date(), zone);
  const view: View = params.get('view') === 'week' ? 'week' : params.get('view') === 'list' ? 'list' : 'day';
  const rawDate = params.get('date') ?? '';
  const date = isCalendarDate(rawDate) ? rawDate : today;
  const own = me.data?.fhirUser?.startsWith('Practitioner/') ? me.data.fhirUser : undefined;
  const practitioner = params.get('practitioner') ?? own ?? ALL;
  const set = (changes: Record<string, string>) => setParams((p) => {
    const next = new URLSearchParams(p);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    return next;
  });

  const days = view === 'day' ? [date] : weekDays(date);
  const first = days[0] ?? date;
  const last = days[days.length - 1] ?? date;
  const from = dayBounds(first, zone).start.toISOString();
  const to = dayBounds(last, zone).end.toISOString();
  const filter = practitioner === ALL ? undefined : practitioner;
  const people = useQuery({ queryKey: schedulingKeys.practitioners(), queryFn: ({ signal }) => bookablePractitioners(undefined, signal), staleTime: 60_000, retry: false });
  const list = useQuery({
    queryKey: schedulingKeys.calendar(from, to, filter),
    queryFn: ({ signal }) => calendarAppointments({ from, to, ...(filter ? { practitioner: filter } : {}) }, signal),
  });
  const appointments = list.data ?? [];
  const current = open ? (appointments.find((a) => a.id === open.id) ?? open) : undefined;
  const step = view === 'day' ? 1 : 7;
  const rangeLabel = view === 'day' ? format.calendarDate(date) : t('scheduling.calendar.range', { from: format.calendarDate(first), to: format.calendarDate(last) });

  return (
    <Page title={t('scheduling.titles.schedule')}>
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap" align="flex-end">
          <SegmentedControl
            aria-label={t('scheduling.calendar.view')}
            value={view}
            onChange={(v) => set({ view: v })}
            data={[
              { value: 'day', label: t('scheduling.calendar.day') },
              { value: 'week', label: t('scheduling.calendar.week') },
              { value: 'list', label: t('scheduling.calendar.list') },
            ]}
          />
          <Group gap={4} wrap="nowrap">
            <Button variant="default" onClick={() => set({ date: addDays(date, -step) })} aria-label={view === 'day' ? t('scheduling.calendar.previousDay') : t('scheduling.calendar.previousWeek')}>
              ‹
            </Button>
            <Button variant="default" onClick={() => set({ date: today })}>
              {t('scheduling.calendar.today')}
            </Button>
            <Button variant="default" onClick={() => set({ date: addDays(date, step) })} aria-label={view === 'day' ? t('scheduling.calendar.nextDay') : t('scheduling.calendar.nextWeek')}>
              ›
            </Button>
          </Group>
          <TextInput type="date" label={t('scheduling.calendar.goTo')} value={date} onChange={(e) => isCalendarDate(e.currentTarget.value) && set({ date: e.currentTarget.value })} w={170} />
          {people.data && people.data.length > 0 ? (
            <NativeSelect
              label={t('scheduling.calendar.clinician')}
              value={practitioner}
              onChange={(e) => set({ practitioner: e.currentTarget.value })}
              data={[{ value: ALL, label: t('scheduling.calendar.allClinicians') }, ...people.data.map((p) => ({ value: p.reference, label: p.displayName }))]}
            />
          ) : null}
        </Group>
        <Title order={2} fz="h3" aria-live="polite" data-testid="schedule-range">
          {rangeLabel}
          <VisuallyHidden>, {t('scheduling.calendar.count', { count: appointments.length })}</VisuallyHidden>
        </Title>
        <Text size="sm">{t('scheduling.when.yourZone', { zone: format.zoneName(zone) })}</Text>
        {list.isError ? <ErrorAlert message={`${t('scheduling.calendar.loadFailed')} ${schedulingError(t, list.error)}`} /> : null}
        {list.isPending ? (
          <Skeleton height={320} aria-hidden />
        ) : view === 'list' ? (
          <CalendarTable appointments={appointments} onOpen={setOpen} showClinician={practitioner === ALL} />
        ) : (
          <CalendarGrid days={days} appointments={appointments} onOpen={setOpen} />
        )}
        <Group>
          <Button component={Link} to="/console/book" variant="light">
            {t('scheduling.nav.bookFor')}
          </Button>
        </Group>
      </Stack>
      <AppointmentDetails appointment={current} onClose={() => setOpen(undefined)} />
    </Page>
  );
}
