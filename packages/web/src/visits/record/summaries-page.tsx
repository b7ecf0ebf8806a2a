import { Anchor, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../api/error-message';
import { mySummaries, recordKeys } from '../../api/record-api';
import { useFormat } from '../../i18n/format';
import { ErrorAlert, Page } from '../../ui/page';

/** /portal/visits — the patient's past visits with a signed summary, newest first. */
export default function SummariesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useQuery({ queryKey: recordKeys.summaries, queryFn: ({ signal }) => mySummaries(signal), retry: false });
  return (
    <Page title={t('record.summariesTitle')}>
      <ErrorAlert message={list.isError ? errorMessage(t, list.error) : undefined} />
      {list.isPending && <Skeleton height={64} aria-hidden />}
      {list.data?.length === 0 && <Text c="dimmed">{t('record.summary.empty')}</Text>}
      {list.data && list.data.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} data-testid="visit-summaries">
          {list.data.map((s) => (
            <Paper component="li" key={s.appointmentId} withBorder p="sm">
              <Text fw={700}>{t('record.summary.date', { date: format.dateTime(s.date) })}</Text>
              {s.clinician && <Text>{t('record.summary.clinician', { name: s.clinician })}</Text>}
              <Anchor component={Link} to={`/portal/visits/${encodeURIComponent(s.appointmentId)}/summary`}>
                {t('record.summary.open')}
              </Anchor>
            </Paper>
          ))}
        </Stack>
      )}
    </Page>
  );
}
