import type { TAfterVisitSummary } from '@careline/contracts';
import { Alert, Anchor, Button, List, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { errorMessage } from '../../api/error-message';
import { ApiError } from '../../api/http';
import { afterVisitSummary, recordKeys, summaryPdfUrl } from '../../api/record-api';
import { useFormat } from '../../i18n/format';
import { ErrorAlert, Page } from '../../ui/page';
import { LiveVitals } from './live-vitals';

/** /portal/visits/:appointmentId/summary — the patient's after-visit summary, with a PDF download. */
export default function SummaryPage() {
  const { t } = useTranslation();
  const { appointmentId = '' } = useParams();
  const summary = useQuery({ queryKey: recordKeys.summary(appointmentId), queryFn: ({ signal }) => afterVisitSummary(appointmentId, signal), retry: false });
  const notReady = summary.error instanceof ApiError && summary.error.status === 404;
  return (
    <Page title={t('record.summaryTitle')}>
      {summary.isPending && <Skeleton height={200} aria-hidden />}
      {notReady && <Alert variant="light">{t('record.summary.notReady')}</Alert>}
      <ErrorAlert message={summary.isError && !notReady ? errorMessage(t, summary.error) : undefined} />
      {summary.data && <SummaryView appointmentId={appointmentId} s={summary.data} />}
    </Page>
  );
}

function followUpText(t: TFunction, f: TAfterVisitSummary['followUp'][number], date: (v: string) => string): string {
  if (f.kind === 'appointment') return t('record.summary.followUpBooked', { date: f.start ? date(f.start) : '' });
  return f.from && f.to ? t('record.summary.followUpTask', { from: f.from, to: f.to }) : t('record.summary.followUpTaskOpen');
}

function SummaryView({ appointmentId, s }: { readonly appointmentId: string; readonly s: TAfterVisitSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const section = (title: string, body: React.ReactNode) => (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {body}
    </Paper>
  );
  const none = <Text c="dimmed">{t('record.summary.none')}</Text>;
  return (
    <Stack gap="md" data-testid="visit-summary">
      {!s.signed && <Alert variant="light">{t('record.summary.preview')}</Alert>}
      <div>
        <Text fw={700}>{t('record.summary.date', { date: format.dateTime(s.date) })}</Text>
        <Text>{t('record.summary.clinician', { name: s.clinician })}</Text>
      </div>
      <Button component="a" href={summaryPdfUrl(appointmentId)} download variant="default" style={{ alignSelf: 'flex-start' }}>
        {t('record.summary.download')}
      </Button>
      {section(
        t('record.summary.plan'),
        <Stack gap="xs">
          <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="summary-plan">
            {s.plan || '—'}
          </Text>
          {s.amendments.map((a) => (
            <Text key={a.id} style={{ whiteSpace: 'pre-wrap' }} fs="italic">
              {t('record.amendments.by', { author: a.author, date: format.dateTime(a.date) })}: {a.text}
            </Text>
          ))}
        </Stack>,
      )}
      {section(t('record.summary.diagnoses'), s.diagnoses.length ? <List>{s.diagnoses.map((d, i) => <List.Item key={`${d}-${String(i)}`}>{d}</List.Item>)}</List> : none)}
      {section(
        t('record.summary.prescriptions'),
        s.prescriptions.length ? (
          <List>
            {s.prescriptions.map((p) => (
              <List.Item key={p.id}>
                <Text fw={600} span>
                  {p.medication.text}
                </Text>{' '}
                — {t('record.prescriptions.summary', { dosage: p.dosage, quantity: p.quantity.value, unit: p.quantity.unit, refills: p.refills })}{' '}
                <Anchor href={`/api/visits/${encodeURIComponent(appointmentId)}/prescriptions/${encodeURIComponent(p.id)}.pdf`} target="_blank" rel="noopener">
                  {t('record.prescriptions.print', { name: p.medication.text })}
                </Anchor>
              </List.Item>
            ))}
          </List>
        ) : (
          none
        ),
      )}
      {section(t('record.summary.vitals'), <LiveVitals vitals={s.vitals} />)}
      {section(t('record.summary.followUp'), s.followUp.length ? <List>{s.followUp.map((f, i) => <List.Item key={String(i)}>{followUpText(t, f, format.dateTime)}</List.Item>)}</List> : none)}
    </Stack>
  );
}
