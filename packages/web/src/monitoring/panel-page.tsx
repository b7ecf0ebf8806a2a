import { Anchor, Badge, Button, Card, Group, NativeSelect, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../api/error-message';
import { monitoringPanel, type TPanelEntry } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { ErrorAlert, Page } from '../ui/page';
import { usePatientNamesBySearch } from '../ui/patient-names';
import { AlertPreferencesDialog } from './alert-preferences-dialog';
import { measureLabel, programLabel, unitLabel } from './labels';
import { MEASURE_UNITS, measureOfCode } from './measures';
import { panelView, programsIn, urgencyOf, type Urgency } from './urgency';
import { useValueFormat } from './use-value-format';

export const PANEL_KEY = ['monitoring', 'panel'] as const;
const URGENCY_COLORS: Record<Urgency, string> = { high: 'red.9', medium: 'yellow.4', attention: 'orange.9', steady: 'gray.2' };

export const patientPath = (patient: string) => `/console/monitoring/patients/${encodeURIComponent(patient.slice('Patient/'.length))}`;

function UrgencyBadge({ entry }: { readonly entry: TPanelEntry }) {
  const { t } = useTranslation();
  const u = urgencyOf(entry);
  const label = { high: t('rpm.panel.urgency.high'), medium: t('rpm.panel.urgency.medium'), attention: t('rpm.panel.urgency.attention'), steady: t('rpm.panel.urgency.steady') }[u];
  return (
    <Badge color={URGENCY_COLORS[u]} autoContrast data-urgency={u}>
      {label}
    </Badge>
  );
}

/** The latest value of each measure, off-target ones marked in words (not by colour alone). */
function LatestValues({ entry }: { readonly entry: TPanelEntry }) {
  const { t } = useTranslation();
  const fmt = useValueFormat();
  if (entry.latest.length === 0) return <Text size="sm">{t('rpm.panel.never')}</Text>;
  return (
    <Stack gap={0}>
      {entry.latest.map((v) => {
        const m = measureOfCode(v.measure);
        return (
          <Text size="sm" key={v.measure} fw={v.outOfRange ? 700 : 400} c={v.outOfRange ? 'red.9' : undefined}>
            {m ? measureLabel(t, m) : v.measure}: {fmt.value(v.value)} {m ? unitLabel(t, MEASURE_UNITS[m]) : ''}
            {v.outOfRange ? ` (${t('rpm.panel.offTarget')})` : ''}
          </Text>
        );
      })}
    </Stack>
  );
}

/** The console's monitoring panel: enrolled patients, most urgent first; cards on phones, a table on wider screens. */
export default function MonitoringPanelPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const wide = useMediaQuery('(min-width: 62em)');
  const [program, setProgram] = useState('');
  const [preferencesOpen, setPreferencesOpen] = useState(false);
  const panel = useQuery({ queryKey: PANEL_KEY, queryFn: ({ signal }) => monitoringPanel(signal), retry: false });
  const all = panel.data ?? [];
  const names = usePatientNamesBySearch(all.map((e) => e.patient));
  const rows = panelView(all, program);
  const nameOf = (e: TPanelEntry) => names.get(e.patient) ?? e.patient.slice('Patient/'.length);
  const programs = (e: TPanelEntry) => e.programs.map((p) => programLabel(t, p)).join(', ');
  const link = (e: TPanelEntry) => (
    <Anchor component={Link} to={patientPath(e.patient)} fw={700} aria-label={t('rpm.panel.open', { patient: nameOf(e) })}>
      {nameOf(e)}
    </Anchor>
  );
  const alertsText = (e: TPanelEntry) => (e.openAlerts.high + e.openAlerts.medium > 0 ? t('rpm.panel.alerts', { high: e.openAlerts.high, medium: e.openAlerts.medium }) : '');

  return (
    <Page title={t('rpm.titles.panel')}>
      <Group align="end" gap="md" wrap="wrap">
        <NativeSelect
          label={t('rpm.panel.program')}
          value={program}
          onChange={(e) => setProgram(e.currentTarget.value)}
          data={[{ value: '', label: t('rpm.panel.allPrograms') }, ...programsIn(all).map((p) => ({ value: p, label: programLabel(t, p) }))]}
          w={{ base: '100%', xs: 260 }}
        />
        <Text role="status" aria-live="polite" data-testid="panel-count">
          {panel.isSuccess ? (rows.length === 0 ? t('rpm.panel.empty') : t('rpm.panel.count', { count: rows.length })) : ''}
        </Text>
        <Button variant="default" ms="auto" onClick={() => setPreferencesOpen(true)} data-testid="alert-preferences">
          {t('rpm.preferences.open')}
        </Button>
      </Group>
      {preferencesOpen && <AlertPreferencesDialog onClose={() => setPreferencesOpen(false)} />}
      <ErrorAlert message={panel.isError ? errorMessage(t, panel.error) : undefined} />
      {panel.isPending ? (
        <Skeleton height={120} aria-hidden />
      ) : wide ? (
        <Table striped highlightOnHover data-testid="panel-table">
          <Table.Caption className="visually-hidden">{t('rpm.panel.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('rpm.panel.colPatient')}</Table.Th>
              <Table.Th scope="col">{t('rpm.panel.colStatus')}</Table.Th>
              <Table.Th scope="col">{t('rpm.panel.colLatest')}</Table.Th>
              <Table.Th scope="col">{t('rpm.panel.colDeviceDays')}</Table.Th>
              <Table.Th scope="col">{t('rpm.panel.colMinutes')}</Table.Th>
              <Table.Th scope="col">{t('rpm.panel.colLastReading')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.patient} data-patient={e.patient} data-urgency={urgencyOf(e)}>
                <Table.Th scope="row">
                  {link(e)}
                  <Text size="sm" fw={400}>
                    {programs(e)}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <UrgencyBadge entry={e} />
                  <Text size="sm">{alertsText(e)}</Text>
                </Table.Td>
                <Table.Td>
                  <LatestValues entry={e} />
                </Table.Td>
                <Table.Td>{t('rpm.panel.deviceDays', { count: e.deviceDays30 })}</Table.Td>
                <Table.Td>{t('rpm.panel.minutes', { count: e.minutesThisMonth })}</Table.Td>
                <Table.Td>{e.lastReading ? format.dateTime(e.lastReading) : t('rpm.panel.never')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} data-testid="panel-cards">
          {rows.map((e) => (
            <Card component="li" withBorder padding="sm" key={e.patient} data-patient={e.patient} data-urgency={urgencyOf(e)}>
              <Group justify="space-between" gap="xs" wrap="wrap">
                {link(e)}
                <UrgencyBadge entry={e} />
              </Group>
              <Text size="sm">{programs(e)}</Text>
              {alertsText(e) && <Text size="sm">{alertsText(e)}</Text>}
              <LatestValues entry={e} />
              <Text size="sm" c="dimmed">
                {t('rpm.panel.deviceDays', { count: e.deviceDays30 })} · {t('rpm.panel.minutes', { count: e.minutesThisMonth })}
              </Text>
              <Text size="sm" c="dimmed">
                {e.lastReading ? t('rpm.panel.lastReading', { time: format.dateTime(e.lastReading) }) : t('rpm.panel.never')}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
    </Page>
  );
}
