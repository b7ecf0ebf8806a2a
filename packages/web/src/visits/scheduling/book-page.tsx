/**
 * /portal/appointments/book: the patient's slot picker. `?reschedule=<id>` moves a visit;
 * `?task=&practitioner=&visitType=&from=&to=` books a follow-up the clinician asked for.
 */
import type { TAppointment } from '@careline/contracts';
import { Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { appointment, schedulingKeys } from '../../api/scheduling-api';
import { ErrorAlert, Page } from '../../ui/page';
import { schedulingError } from './labels';
import { Summary } from './picker-steps';
import { SlotPicker } from './slot-picker';
import { useVisitFormat } from './visit-time';
import { isCalendarDate } from './zoned-time';

export default function BookPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const rescheduleId = params.get('reschedule') ?? undefined;
  const [booked, setBooked] = useState<TAppointment>();
  const [round, setRound] = useState(0);
  const existing = useQuery({ queryKey: schedulingKeys.appointment(rescheduleId ?? ''), queryFn: ({ signal }) => appointment(rescheduleId ?? '', signal), enabled: Boolean(rescheduleId) });
  const practitioner = params.get('practitioner');
  const visitType = params.get('visitType');
  const from = params.get('from');
  const to = params.get('to');
  const preset = practitioner && visitType ? { practitioner, visitType, ...(from && isCalendarDate(from) ? { from } : {}), ...(to && isCalendarDate(to) ? { to } : {}) } : undefined;

  if (booked) return <Booked appointment={booked} rescheduled={Boolean(rescheduleId)} onAnother={() => { setBooked(undefined); setRound((r) => r + 1); }} />;
  return (
    <Page title={rescheduleId ? t('scheduling.titles.reschedule') : t('scheduling.titles.book')}>
      {rescheduleId && existing.isPending ? <Skeleton height={160} aria-hidden /> : null}
      {rescheduleId && existing.isError ? <ErrorAlert message={schedulingError(t, existing.error)} /> : null}
      {!rescheduleId || existing.data ? <SlotPicker key={round} {...(existing.data ? { reschedule: existing.data } : {})} {...(preset ? { preset } : {})} onDone={setBooked} /> : null}
    </Page>
  );
}

/** The success screen: what was booked, in words, and what happens next. */
export function Booked({ appointment: a, rescheduled, onAnother, staff = false }: { readonly appointment: TAppointment; readonly rescheduled: boolean; readonly onAnother: () => void; readonly staff?: boolean }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Stack gap="md" maw={720} data-testid="booking-done">
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }} ref={heading} tabIndex={-1} className="main-region">
        {staff ? t('scheduling.picker.bookedStaff') : rescheduled ? t('scheduling.picker.rescheduled') : t('scheduling.picker.booked')}
      </Title>
      <Summary
        rows={[
          [t('scheduling.picker.summaryWhen'), `${format.day(a.start)}, ${format.timeRange(a.start, a.end)}`],
          [t('scheduling.picker.summaryClinician'), a.practitioner.display],
          [t('scheduling.picker.summaryType'), a.visitType.display],
          ...(staff ? ([[t('scheduling.picker.summaryPatient'), a.patient.display]] as const) : []),
        ]}
      />
      {!staff && a.visitType.mode !== 'in-person' ? <Text>{t('scheduling.picker.bookedVideo')}</Text> : null}
      <Group gap="sm">
        {staff ? (
          <Button component={Link} to="/console/schedule" size="md">
            {t('scheduling.picker.toSchedule')}
          </Button>
        ) : (
          <Button component={Link} to="/portal/appointments" size="lg">
            {t('scheduling.picker.toList')}
          </Button>
        )}
        <Button variant="default" size={staff ? 'md' : 'lg'} onClick={onAnother}>
          {t('scheduling.picker.bookAnother')}
        </Button>
      </Group>
    </Stack>
  );
}
