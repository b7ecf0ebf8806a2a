import { SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFhirResource } from '../api/fhir-api';
import { quantity, text } from '../api/fhir-display';
import { useMe } from '../auth/session';
import { useFormat } from '../i18n/format';
import { FhirListPanel } from '../ui/panel';
import { Page } from '../ui/page';
import { NextVisitsPanel } from '../visits/scheduling/home-panels';

/** The patient portal home: what is next, what is new, who cares for me. */
export default function PatientHome() {
  const { t } = useTranslation();
  const me = useMe();
  const patient = me.data?.fhirUser?.startsWith('Patient/') ? me.data.fhirUser : undefined;
  const enabled = Boolean(patient);
  const p = patient ?? '';
  return (
    <Page title={t('portal.title')}>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <NextVisitsPanel title={t('portal.upcomingVisits')} enabled={enabled} />
        <FhirListPanel
          testId="panel-messages"
          title={t('portal.messages')}
          type="Communication"
          params={{ recipient: p, status: 'in-progress', _count: '5' }}
          enabled={enabled}
          render={(r) => <Text>{text(r, ['topic', 'text'], ['payload', 'contentString']) ?? r.resourceType}</Text>}
        />
        <FhirListPanel
          testId="panel-results"
          title={t('portal.results')}
          type="Observation"
          params={{ patient: p, category: 'laboratory', _sort: '-date', _count: '5' }}
          enabled={enabled}
          render={(r) => <ResultLine resource={r} />}
        />
        <FhirListPanel
          testId="panel-tasks"
          title={t('portal.tasks')}
          type="Task"
          params={{ patient: p, status: 'requested,ready,in-progress', _count: '5' }}
          enabled={enabled}
          render={(r) => <Text>{text(r, ['description'], ['code', 'text']) ?? r.resourceType}</Text>}
        />
        <FhirListPanel
          testId="panel-care-team"
          title={t('portal.careTeam')}
          type="CareTeam"
          params={{ patient: p, status: 'active', _count: '5' }}
          enabled={enabled}
          render={(r) => <Text>{text(r, ['name'], ['participant', 'member', 'display']) ?? r.resourceType}</Text>}
        />
      </SimpleGrid>
    </Page>
  );
}

/** A lab result: what, value with its unit in the user's number format, and when. */
function ResultLine({ resource }: { readonly resource: TFhirResource }) {
  const { t } = useTranslation();
  const format = useFormat();
  const value = quantity(resource);
  const when = text(resource, ['effectiveDateTime'], ['issued']);
  return (
    <Text>
      {text(resource, ['code', 'text'], ['code', 'coding', 'display']) ?? resource.resourceType}
      {value ? `: ${format.number(value.value)}${value.unit ? ` ${value.unit}` : ''}` : ''}
      {when ? ` — ${t('portal.resultIssued', { date: format.dateTime(when) })}` : ''}
    </Text>
  );
}
