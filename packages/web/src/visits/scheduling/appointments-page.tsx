/** /portal/appointments: the patient's upcoming and past visits, follow-ups to book, and a clear way to book. */
import type { TAppointment, TFollowUpTask } from '@careline/contracts';
import { Button, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { followUpTasks, myAppointments, schedulingKeys } from '../../api/scheduling-api';
import { ErrorAlert, Page, SuccessAlert } from '../../ui/page';
import { AppointmentCard } from './appointment-card';
import { CancelDialog } from './cancel-dialog';
import { schedulingError } from './labels';
import { useNow, useVisitFormat } from './visit-time';

export default function AppointmentsPage() {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const queryClient = useQueryClient();
  const now = useNow();
  const [cancelling, setCancelling] = useState<TAppointment>();
  const [done, setDone] = useState<string>();
  const mine = useQuery({ queryKey: schedulingKeys.mine, queryFn: ({ signal }) => myAppointments(signal) });
  const tasks = useQuery({ queryKey: schedulingKeys.followUps(), queryFn: ({ signal }) => followUpTasks(undefined, signal), retry: false });

  return (
    <Page title={t('scheduling.title')}>
      <div>
        <Button component={Link} to="/portal/appointments/book" size="lg">
          {t('scheduling.list.book')}
        </Button>
      </div>
      {done ? <SuccessAlert>{done}</SuccessAlert> : null}
      <Text size="sm">{t('scheduling.when.yourZone', { zone: format.zoneName(format.viewerZone) })}</Text>
      {tasks.data && tasks.data.length > 0 ? <FollowUps tasks={tasks.data} /> : null}
      <section aria-labelledby="upcoming-heading">
        <Title order={2} fz="h3" id="upcoming-heading" mb="sm">
          {t('scheduling.list.upcoming')}
        </Title>
        {mine.isPending ? (
          <Skeleton height={120} aria-hidden />
        ) : mine.isError ? (
          <ErrorAlert message={`${t('scheduling.list.loadFailed')} ${schedulingError(t, mine.error)}`} />
        ) : mine.data.upcoming.length === 0 ? (
          <Text>{t('scheduling.list.noUpcoming')}</Text>
        ) : (
          <Stack gap="sm" data-testid="upcoming-list">
            {mine.data.upcoming.map((a) => (
              <AppointmentCard key={a.id} appointment={a} now={now} onCancel={setCancelling} />
            ))}
          </Stack>
        )}
      </section>
      <section aria-labelledby="past-heading">
        <Title order={2} fz="h3" id="past-heading" mb="sm">
          {t('scheduling.list.past')}
        </Title>
        {mine.data && mine.data.past.length === 0 ? <Text>{t('scheduling.list.noPast')}</Text> : null}
        <Stack gap="sm" data-testid="past-list">
          {(mine.data?.past ?? []).map((a) => (
            <AppointmentCard key={a.id} appointment={a} now={now} actions={false} />
          ))}
        </Stack>
      </section>
      <CancelDialog
        appointment={cancelling}
        onClose={() => setCancelling(undefined)}
        onCancelled={(a) => {
          setCancelling(undefined);
          setDone(t('scheduling.cancel.done', { when: `${format.day(a.start)}, ${format.time(a.start)}` }));
          void queryClient.invalidateQueries({ queryKey: schedulingKeys.all });
        }}
      />
    </Page>
  );
}

function FollowUps({ tasks }: { readonly tasks: readonly TFollowUpTask[] }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const open = tasks.filter((x) => x.status === 'requested');
  if (open.length === 0) return null;
  return (
    <section aria-labelledby="follow-ups-heading">
      <Title order={2} fz="h3" id="follow-ups-heading" mb="sm">
        {t('scheduling.followUps.title')}
      </Title>
      <Stack gap="sm">
        {open.map((task) => {
          const q = new URLSearchParams({ task: task.id, practitioner: task.practitioner.reference, visitType: task.visitType, from: task.dueFrom, to: task.dueTo });
          return (
            <Paper key={task.id} withBorder p="md" data-testid="follow-up">
              <Stack gap="xs">
                <Text>{t('scheduling.followUps.item', { clinician: task.practitioner.display, from: format.calendarDate(task.dueFrom), to: format.calendarDate(task.dueTo) })}</Text>
                {task.note ? <Text size="sm">{task.note}</Text> : null}
                <div>
                  <Button component={Link} to={`/portal/appointments/book?${q.toString()}`} size="md">
                    {t('scheduling.followUps.book')}
                  </Button>
                </div>
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    </section>
  );
}
