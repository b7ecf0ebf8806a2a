import { NativeSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhirSearch } from '../api/fhir-api';
import { humanName } from '../api/fhir-display';
import { mySeries, type TSeriesDays } from '../api/monitoring-api';
import { useMe } from '../auth/session';
import { Page } from '../ui/page';
import { Panel } from '../ui/panel';
import { AddReadingForm } from './add-reading-form';
import { CHARTS } from './measures';
import { PERIODS, Trends } from './trends';

/** The patients a caregiver may act for (the FHIR policy answers only those with a grant in force). */
function useCaregiverPatients(enabled: boolean) {
  return useQuery({
    queryKey: ['fhir', 'caregiver-patients'],
    queryFn: async ({ signal }) => (await fhirSearch('Patient', { _count: '20', _elements: 'name' }, signal)).resources.flatMap((r) => (r.id ? [{ value: `Patient/${r.id}`, label: humanName(r) ?? r.id }] : [])),
    enabled,
    retry: false,
  });
}

/** The portal's "My readings": charts in plain language with the care team's limits, and adding a reading by hand. */
export default function MyReadingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const self = me.data?.fhirUser?.startsWith('Patient/') ? me.data.fhirUser : undefined;
  const caregiver = !self && (me.data?.roles ?? []).includes('caregiver');
  const patients = useCaregiverPatients(caregiver);
  const [chosen, setChosen] = useState<string>();
  const named = caregiver ? (chosen ?? patients.data?.[0]?.value) : undefined;
  const [days, setDays] = useState<TSeriesDays>(30);
  const ready = Boolean(self ?? named);

  return (
    <Page title={t('rpm.titles.readings')}>
      <Text>{t('rpm.readings.intro')}</Text>
      {caregiver && (patients.data ?? []).length > 0 && (
        <NativeSelect label={t('rpm.readings.whose')} value={named ?? ''} onChange={(e) => setChosen(e.currentTarget.value)} data={patients.data ?? []} w={{ base: '100%', xs: 320 }} />
      )}
      {ready && <AddReadingForm patient={named} />}
      <Panel title={t('rpm.titles.readings')} testId="panel-my-readings">
        <Stack gap="md">
          <div role="group" aria-labelledby="rpm-my-period">
            <Text id="rpm-my-period" size="sm" fw={600} mb={4}>
              {t('rpm.readings.period')}
            </Text>
            <SegmentedControl value={String(days)} onChange={(v) => setDays(Number(v) as TSeriesDays)} data={PERIODS.map((d) => ({ value: String(d), label: t('rpm.patient.days', { count: d }) }))} />
          </div>
          {ready && (
            <Trends
              charts={CHARTS.map((c) => c.id)}
              days={days}
              scope={`self:${named ?? self ?? ''}`}
              load={(measure, d, signal) => mySeries(measure, d, named, signal)}
              guide
            />
          )}
        </Stack>
      </Panel>
    </Page>
  );
}
