import { Grid, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useFormat } from '../../i18n/format';
import { Page } from '../../ui/page';
import { LiveVitals } from './live-vitals';
import { useVisitRecord, VisitNotePanel } from './visit-note-panel';

/** /console/visits/:appointmentId/record — the full visit record for staff: the note panel, vitals and billing facts. */
export default function RecordPage() {
  const { t } = useTranslation();
  const { appointmentId = '' } = useParams();
  return (
    <Page title={t('record.title')}>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md">
            <VisitNotePanel appointmentId={appointmentId} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <RecordFacts appointmentId={appointmentId} />
        </Grid.Col>
      </Grid>
    </Page>
  );
}

function RecordFacts({ appointmentId }: { readonly appointmentId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { query } = useVisitRecord(appointmentId);
  if (!query.data) return null;
  const { encounter, billing, patient, vitals } = query.data;
  const row = (label: string, value: string | undefined) => (
    <Table.Tr>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td>{value ?? '—'}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('record.encounter.heading')}
        </Title>
        <Table>
          <Table.Tbody>
            {row(t('record.encounter.patient'), patient.display)}
            {row(t('record.encounter.status'), encounter?.status)}
            {row(t('record.encounter.started'), encounter?.start ? format.dateTime(encounter.start) : undefined)}
            {row(t('record.encounter.ended'), encounter?.end ? format.dateTime(encounter.end) : undefined)}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="md" data-testid="billing-facts">
        <Title order={2} size="h4" mb="xs">
          {t('record.billing.heading')}
        </Title>
        {billing.placeOfService || billing.modifier ? (
          <Table>
            <Table.Tbody>
              {row(t('record.billing.placeOfService'), billing.placeOfService ? `${billing.placeOfService.code} — ${billing.placeOfService.display}` : undefined)}
              {row(t('record.billing.modifier'), billing.modifier ? `${billing.modifier.code} — ${billing.modifier.display}` : undefined)}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('record.billing.notYet')}</Text>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('record.vitals.liveHeading')}
        </Title>
        <LiveVitals vitals={vitals} />
      </Paper>
    </Stack>
  );
}
