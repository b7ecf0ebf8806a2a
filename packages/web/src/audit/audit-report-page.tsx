import { Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { listUsers } from '../api/auth-api';
import { AUDIT_ACTIONS, AUDIT_KINDS, AUDIT_OUTCOMES, auditReport, downloadAuditCsv, type AuditFilters, type TAuditItem, type TAuditSort } from '../api/audit-api';
import { errorMessage } from '../api/error-message';
import { useMe } from '../auth/session';
import { useFormat } from '../i18n/format';
import { usePatientNamesBySearch } from '../ui/patient-names';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { actionLabel, kindLabel, outcomeLabel } from './labels';

const PAGE_SIZE = 50;

/** The filter form's raw values (dates as the date inputs give them: YYYY-MM-DD in the user's zone). */
interface FormValues {
  from: string;
  to: string;
  agent: string;
  patient: string;
  action: string;
  outcome: string;
  kind: string;
}
const EMPTY: FormValues = { from: '', to: '', agent: '', patient: '', action: '', outcome: '', kind: '' };

/** A local calendar day's start (or end) as an instant, so "from/to" follow the user's time zone. */
function dayBound(day: string, end: boolean): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = end ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString();
}

function patientReference(input: string): string | undefined | null {
  const v = input.trim();
  if (!v) return undefined;
  const ref = v.startsWith('Patient/') ? v : `Patient/${v}`;
  return /^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? ref : null;
}

type Sortable = Exclude<TAuditSort, 'seq'> | 'seq';
const COLUMNS: readonly { readonly sort: Sortable; readonly key: 'colRecorded' | 'colAgent' | 'colAction' | 'colKind' | 'colOutcome' | 'colOrganization' | 'colSeq' }[] = [
  { sort: 'recorded', key: 'colRecorded' },
  { sort: 'agent', key: 'colAgent' },
  { sort: 'action', key: 'colAction' },
  { sort: 'kind', key: 'colKind' },
  { sort: 'outcome', key: 'colOutcome' },
  { sort: 'organization', key: 'colOrganization' },
  { sort: 'seq', key: 'colSeq' },
];

/** The admin audit report: filters, sortable columns, keyset paging ("Show more"), CSV download. */
export default function AuditReportPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const organizationId = (me.data?.organizations ?? []).find((o) => o.role === 'admin')?.organizationId;
  const users = useQuery({
    queryKey: ['admin', 'users', organizationId],
    queryFn: () => listUsers(organizationId ?? ''),
    enabled: Boolean(organizationId),
    retry: false,
  });
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>({});
  const [sort, setSort] = useState<{ column: TAuditSort; order: 'asc' | 'desc' }>({ column: 'recorded', order: 'desc' });
  const [formError, setFormError] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const [exported, setExported] = useState<string>();
  const [exporting, setExporting] = useState(false);

  const report = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters, sort],
    queryFn: ({ pageParam, signal }) => auditReport({ ...filters, sort: sort.column, order: sort.order, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  const items: readonly TAuditItem[] = report.data?.pages.flatMap((p) => p.items) ?? [];
  const patientNames = usePatientNamesBySearch(items.flatMap((i) => i.patients));
  const emails = new Map((users.data ?? []).map((u) => [`User/${u.id}`, u.email]));

  const agentLabel = (agent: string | null): string => {
    if (!agent) return '—';
    if (agent.startsWith('system:')) return t('audit.system', { job: agent.slice('system:'.length) });
    return emails.get(agent) ?? agent;
  };

  const set = (name: keyof FormValues) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [name]: value }));
  };

  const apply = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(undefined);
    const patient = patientReference(values.patient);
    if (patient === null) {
      setFormError(t('audit.badPatient'));
      return;
    }
    if (values.from && values.to && values.to < values.from) {
      setFormError(t('audit.badDates'));
      return;
    }
    const from = dayBound(values.from, false);
    const to = dayBound(values.to, true);
    setFilters({
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(values.agent ? { agent: values.agent } : {}),
      ...(patient ? { patient } : {}),
      ...(values.action ? { action: values.action } : {}),
      ...(values.outcome ? { outcome: values.outcome } : {}),
      ...(values.kind ? { kind: values.kind } : {}),
    });
  };

  const clear = () => {
    setValues(EMPTY);
    setFilters({});
    setFormError(undefined);
  };

  const exportCsv = async () => {
    setExportError(undefined);
    setExported(undefined);
    setExporting(true);
    try {
      const file = await downloadAuditCsv({ ...filters, sort: sort.column, order: sort.order });
      setExported(t('audit.exported', { file }));
    } catch (err) {
      setExportError(errorMessage(t, err));
    } finally {
      setExporting(false);
    }
  };

  const toggleSort = (column: TAuditSort) =>
    setSort((s) => (s.column === column ? { column, order: s.order === 'asc' ? 'desc' : 'asc' } : { column, order: column === 'recorded' || column === 'seq' ? 'desc' : 'asc' }));

  const current = COLUMNS.find((c) => c.sort === sort.column);
  const anyOption = { value: '', label: t('audit.any') };

  return (
    <Page title={t('audit.title')}>
      <Panel title={t('audit.filters')} testId="audit-filters">
        <form noValidate onSubmit={apply} aria-label={t('audit.filters')}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            <TextInput type="date" name="from" label={t('audit.from')} value={values.from} onChange={set('from')} />
            <TextInput type="date" name="to" label={t('audit.to')} value={values.to} onChange={set('to')} />
            <NativeSelect
              name="agent"
              label={t('audit.agent')}
              value={values.agent}
              onChange={set('agent')}
              data={[anyOption, ...(users.data ?? []).map((u) => ({ value: `User/${u.id}`, label: u.email }))]}
            />
            <TextInput name="patient" label={t('audit.patient')} description={t('audit.patientHelp')} autoComplete="off" value={values.patient} onChange={set('patient')} />
            <NativeSelect name="action" label={t('audit.action')} value={values.action} onChange={set('action')} data={[anyOption, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))]} />
            <NativeSelect name="outcome" label={t('audit.outcome')} value={values.outcome} onChange={set('outcome')} data={[anyOption, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(t, Number(o)) }))]} />
            <NativeSelect name="kind" label={t('audit.kind')} value={values.kind} onChange={set('kind')} data={[anyOption, ...AUDIT_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))]} />
          </SimpleGrid>
          <ErrorAlert message={formError} />
          <Group mt="md" gap="sm">
            <Button type="submit">{t('audit.apply')}</Button>
            <Button type="button" variant="default" onClick={clear}>
              {t('audit.clear')}
            </Button>
            <Button type="button" variant="default" loading={exporting} onClick={() => void exportCsv()}>
              {t('audit.export')}
            </Button>
          </Group>
        </form>
        <Stack gap="xs" mt="sm">
          <ErrorAlert message={exportError} />
          {exported && <SuccessAlert>{exported}</SuccessAlert>}
        </Stack>
      </Panel>

      <ErrorAlert message={report.isError ? errorMessage(t, report.error) : undefined} />
      <Text role="status" aria-live="polite" data-testid="audit-count">
        {report.isSuccess ? (items.length === 0 ? t('audit.empty') : t('audit.shown', { count: items.length })) : ''}
        {report.hasNextPage ? ` ${t('audit.moreAvailable')}` : ''}
      </Text>
      <Table.ScrollContainer minWidth={880}>
        <Table striped highlightOnHover data-testid="audit-table" aria-busy={report.isFetching}>
          <Table.Caption className="visually-hidden">
            {t('audit.caption', { column: current ? t(`audit.${current.key}`) : sort.column, order: sort.order === 'asc' ? t('audit.sortAsc') : t('audit.sortDesc') })}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c) => {
                const active = sort.column === c.sort;
                return (
                  <Table.Th key={c.sort} scope="col" aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <UnstyledButton onClick={() => toggleSort(c.sort)} className="sort-button" aria-label={t('audit.sortBy', { column: t(`audit.${c.key}`) })} data-sort={c.sort}>
                      {t(`audit.${c.key}`)}
                      <span aria-hidden="true">{active ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                    </UnstyledButton>
                  </Table.Th>
                );
              })}
              <Table.Th scope="col">{t('audit.colPatients')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.seq}>
                <Table.Td>
                  <time dateTime={i.recorded}>{format.dateTime(i.recorded)}</time>
                </Table.Td>
                <Table.Td>{agentLabel(i.agent)}</Table.Td>
                <Table.Td>{actionLabel(t, i.action)}</Table.Td>
                <Table.Td data-kind={i.kind}>{kindLabel(t, i.kind)}</Table.Td>
                <Table.Td>{outcomeLabel(t, i.outcome)}</Table.Td>
                <Table.Td>{i.organization ?? '—'}</Table.Td>
                <Table.Td>{format.number(i.seq)}</Table.Td>
                <Table.Td>{i.patients.map((p) => patientNames.get(p) ?? p).join(', ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.hasNextPage && (
        <Group>
          <Button variant="default" loading={report.isFetchingNextPage} onClick={() => void report.fetchNextPage()}>
            {t('audit.more')}
          </Button>
        </Group>
      )}
    </Page>
  );
}
