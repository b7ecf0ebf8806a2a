import { SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { text } from '../api/fhir-display';
import { useMe } from '../auth/session';
import { useFormat } from '../i18n/format';
import { AlertsPanel } from './alerts-panel';
import { ComingSoonPanel, FhirListPanel } from '../ui/panel';
import { Page } from '../ui/page';

/** The clinician console home: today's schedule, waiting room, inbox, monitoring alerts. */
export default function ClinicianHome() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const practitioner = me.data?.fhirUser?.startsWith('Practitioner/') ? me.data.fhirUser : undefined;
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  return (
    <Page title={t('console.title')}>
      <Text>{t('console.today', { date: format.date(now) })}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <FhirListPanel
          testId="panel-schedule"
          title={t('console.schedule')}
          type="Appointment"
          params={{ practitioner: practitioner ?? '', date: day, _sort: 'date', _count: '20' }}
          enabled={Boolean(practitioner)}
          render={(r) => (
            <Text>
              {text(r, ['start']) ? format.time(text(r, ['start']) ?? '') : ''} {text(r, ['description'], ['participant', 'actor', 'display']) ?? ''}
            </Text>
          )}
        />
        <ComingSoonPanel testId="panel-waiting-room" title={t('console.waitingRoom')} />
        <ComingSoonPanel testId="panel-inbox" title={t('console.inbox')} />
        <AlertsPanel practitioner={practitioner} />
      </SimpleGrid>
    </Page>
  );
}
