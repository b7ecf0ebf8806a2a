import { SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { useFormat } from '../i18n/format';
import { AlertsPanel } from './alerts-panel';
import { ComingSoonPanel } from '../ui/panel';
import { Page } from '../ui/page';
import { TodaySchedulePanel } from '../visits/scheduling/home-panels';

/** The clinician console home: today's schedule, waiting room, inbox, monitoring alerts. */
export default function ClinicianHome() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const practitioner = me.data?.fhirUser?.startsWith('Practitioner/') ? me.data.fhirUser : undefined;
  const now = new Date();
  return (
    <Page title={t('console.title')}>
      <Text>{t('console.today', { date: format.date(now) })}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TodaySchedulePanel title={t('console.schedule')} practitioner={practitioner} />
        <ComingSoonPanel testId="panel-waiting-room" title={t('console.waitingRoom')} />
        <ComingSoonPanel testId="panel-inbox" title={t('console.inbox')} />
        <AlertsPanel practitioner={practitioner} />
      </SimpleGrid>
    </Page>
  );
}
