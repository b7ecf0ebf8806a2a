import { Anchor, Button, Group, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { monitoringPanel, patientSeries, type TSeriesDays } from '../api/monitoring-api';
import { useMe } from '../auth/session';
import { Page } from '../ui/page';
import { Panel } from '../ui/panel';
import { usePatientNames } from '../ui/patient-names';
import { CgmSection } from './cgm-section';
import { programLabel } from './labels';
import { chartsFor } from './measures';
import { PANEL_KEY } from './panel-page';
import { PatientAlerts } from './patient-alerts';
import { TimePanel } from './time-panel';
import { PERIODS, Trends } from './trends';

/** A monitored patient: trends with targets, CGM summaries, the alert queue with notes, monitoring time. */
export default function PatientMonitoringPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const patient = `Patient/${patientId}`;
  const me = useMe();
  const practitioner = me.data?.fhirUser?.startsWith('Practitioner/') ? me.data.fhirUser : undefined;
  const [days, setDays] = useState<TSeriesDays>(30);
  const names = usePatientNames([patient]);
  const name = names.get(patient) ?? patientId;
  // The panel says which programs the patient is in (and so which charts matter); shared with the panel page.
  const panel = useQuery({ queryKey: PANEL_KEY, queryFn: ({ signal }) => monitoringPanel(signal), retry: false });
  const entry = panel.data?.find((e) => e.patient === patient);
  const programs = entry?.programs ?? [];

  return (
    <Page title={`${t('rpm.titles.patient')}: ${name}`}>
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Anchor component={Link} to="/console/monitoring">
          {t('rpm.patient.back')}
        </Anchor>
        <Button component={Link} to={`/console/book?patient=${encodeURIComponent(patient)}`} data-testid="start-video-visit">
          {t('rpm.patient.startVisit')}
        </Button>
      </Group>
      {programs.length > 0 ? <Text>{t('rpm.patient.programs', { programs: programs.map((p) => programLabel(t, p)).join(', ') })}</Text> : panel.isSuccess && <Text c="dimmed">{t('rpm.patient.unknown')}</Text>}
      <PatientAlerts patient={patient} practitioner={practitioner} patientName={name} />
      <Panel title={t('rpm.patient.trends')} testId="panel-trends">
        <Stack gap="md">
          <div role="group" aria-labelledby="rpm-period-label">
            <Text id="rpm-period-label" size="sm" fw={600} mb={4}>
              {t('rpm.patient.period')}
            </Text>
            <SegmentedControl
              value={String(days)}
              onChange={(v) => setDays(Number(v) as TSeriesDays)}
              data={PERIODS.map((d) => ({ value: String(d), label: t('rpm.patient.days', { count: d }) }))}
              aria-labelledby="rpm-period-label"
            />
          </div>
          {panel.isPending ? <Skeleton height={320} aria-hidden /> : <Trends charts={chartsFor(programs)} days={days} scope={`care:${patient}`} load={(measure, d, signal) => patientSeries(patient, measure, d, signal)} />}
        </Stack>
      </Panel>
      {programs.includes('diabetes-cgm') && <CgmSection patient={patient} />}
      <TimePanel patient={patient} />
    </Page>
  );
}
