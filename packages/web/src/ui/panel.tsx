import { Card, List, Skeleton, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { fhirSearch, type TFhirResource } from '../api/fhir-api';

/** A titled region of a home page (a landmark with its heading as name). */
export function Panel({ title, children, testId }: { readonly title: string; readonly children: ReactNode; readonly testId?: string }) {
  const id = useId();
  return (
    <Card component="section" withBorder padding="md" aria-labelledby={id} data-testid={testId}>
      <Title order={2} fz="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** A placeholder for what a later capability fills in, with the layout it will have. */
export function ComingSoonPanel({ title, testId }: { readonly title: string; readonly testId?: string }) {
  const { t } = useTranslation();
  return (
    <Panel title={title} {...(testId ? { testId } : {})}>
      <Text c="dimmed">{t('panels.comingSoon')}</Text>
    </Panel>
  );
}

/**
 * A panel listing FHIR resources. Until the server lets the caller read them (or has none), it says
 * so plainly instead of failing.
 */
export function FhirListPanel({
  title,
  type,
  params,
  render,
  enabled = true,
  testId,
}: {
  readonly title: string;
  readonly type: string;
  readonly params: Record<string, string>;
  readonly render: (resource: TFhirResource) => ReactNode;
  readonly enabled?: boolean;
  readonly testId?: string;
}) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['fhir', type, params], queryFn: ({ signal }) => fhirSearch(type, params, signal), enabled, retry: false });
  let body: ReactNode;
  if (!enabled || query.isError) body = <Text c="dimmed">{t('panels.unavailable')}</Text>;
  else if (query.isPending) body = <Skeleton height={48} aria-hidden />;
  else if (query.data.resources.length === 0) body = <Text c="dimmed">{t('panels.empty')}</Text>;
  else
    body = (
      <List spacing="xs" listStyleType="none" p={0}>
        {query.data.resources.map((r, i) => (
          <List.Item key={r.id ?? i}>{render(r)}</List.Item>
        ))}
      </List>
    );
  return (
    <Panel title={title} {...(testId ? { testId } : {})}>
      {body}
    </Panel>
  );
}
