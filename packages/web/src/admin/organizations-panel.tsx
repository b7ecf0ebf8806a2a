import { List, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fhirSearch } from '../api/fhir-api';
import { text } from '../api/fhir-display';
import { Panel } from '../ui/panel';

export function OrganizationsPanel({ organizationIds }: { readonly organizationIds: readonly string[] }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['fhir', 'Organization', organizationIds],
    queryFn: ({ signal }) => fhirSearch('Organization', { _id: organizationIds.join(',') }, signal),
    enabled: organizationIds.length > 0,
    retry: false,
  });
  const names = new Map((query.data?.resources ?? []).map((r) => [r.id ?? '', text(r, ['name'])]));
  return (
    <Panel title={t('admin.organizations')} testId="panel-organizations">
      {organizationIds.length === 0 ? (
        <Text c="dimmed">{t('panels.empty')}</Text>
      ) : (
        <List spacing="xs">
          {organizationIds.map((id) => (
            <List.Item key={id}>{names.get(id) ?? id}</List.Item>
          ))}
        </List>
      )}
    </Panel>
  );
}
