import { Badge, Button, Group, List, NativeSelect, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message';
import { billingReport, downloadBilling, type TBillingRow } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { programLabel } from './labels';
import { monthLabel, recentMonths } from './time-format';

const MONTHS = 13;

function Codes({ row }: { readonly row: TBillingRow }) {
  const { t } = useTranslation();
  if (row.codes.length === 0) return <Text size="sm">{t('rpm.billing.none')}</Text>;
  return (
    <Group gap={4}>
      {row.codes.map((c) => (
        <Badge key={c.code} variant="outline" color="dark.6" data-code={c.code}>
          {c.units > 1 ? `${c.code} × ${String(c.units)}` : c.code}
        </Badge>
      ))}
    </Group>
  );
}

/** The monthly RPM billing report: per patient device days, minutes, CPT codes and why not; CSV and PDF. */
export default function BillingPage() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const months = recentMonths(new Date(), MONTHS);
  const [month, setMonth] = useState(months[0] ?? '');
  const [open, setOpen] = useState<string>();
  const [downloaded, setDownloaded] = useState<string>();
  const [downloadError, setDownloadError] = useState<string>();
  const [busy, setBusy] = useState<'csv' | 'pdf'>();
  const report = useQuery({ queryKey: ['monitoring', 'billing', month], queryFn: ({ signal }) => billingReport(month, signal), retry: false });

  const download = async (kind: 'csv' | 'pdf') => {
    setDownloadError(undefined);
    setDownloaded(undefined);
    setBusy(kind);
    try {
      setDownloaded(t('rpm.billing.saved', { file: await downloadBilling(month, kind) }));
    } catch (err) {
      setDownloadError(errorMessage(t, err));
    } finally {
      setBusy(undefined);
    }
  };

  const r = report.data;
  const date = (d: string | null) => (d ? format.date(`${d}T12:00:00`) : t('rpm.billing.missing'));
  return (
    <Page title={t('rpm.titles.billing')}>
      <Group align="end" gap="md" wrap="wrap">
        <NativeSelect label={t('rpm.billing.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} data={months.map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))} w={{ base: '100%', xs: 240 }} />
        <Button variant="default" loading={busy === 'csv'} onClick={() => void download('csv')}>
          {t('rpm.billing.csv')}
        </Button>
        <Button variant="default" loading={busy === 'pdf'} onClick={() => void download('pdf')}>
          {t('rpm.billing.pdf')}
        </Button>
      </Group>
      <ErrorAlert message={downloadError} />
      {downloaded && <SuccessAlert>{downloaded}</SuccessAlert>}
      <ErrorAlert message={report.isError ? errorMessage(t, report.error) : undefined} />
      {report.isPending ? (
        <Skeleton height={160} aria-hidden />
      ) : r ? (
        <Stack gap="md">
          <Panel title={monthLabel(r.month, i18n.language)} testId="billing-summary">
            <Stack gap={4}>
              <Text>{t('rpm.billing.clinic', { clinic: r.clinicName, zone: r.timeZone })}</Text>
              <Text>{r.closed ? t('rpm.billing.closed', { date: format.dateTime(r.closed.at) }) : t('rpm.billing.notClosed')}</Text>
              <Text fw={700} data-testid="billing-totals">
                {t('rpm.billing.totals', { billable: r.totals.billablePatients, patients: r.totals.patients })}
              </Text>
              {Object.keys(r.totals.codes).length > 0 && (
                <Text>
                  {t('rpm.billing.codeTotals')}: {Object.entries(r.totals.codes).map(([code, units]) => `${code} × ${format.number(units)}`).join(', ')}
                </Text>
              )}
            </Stack>
          </Panel>
          {r.rows.length === 0 ? (
            <Text c="dimmed">{t('rpm.billing.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped data-testid="billing-table">
                <Table.Caption className="visually-hidden">{t('rpm.billing.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('rpm.billing.colPatient')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.colProgram')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.colDeviceDays')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.colMinutes')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.colCodes')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.colWhy')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.billing.details')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.rows.map((row, i) => {
                    // A patient may have two rows for one program (a device period, and time only).
                    const key = `${row.patient}|${row.program}|${row.periodStart ?? ''}|${String(i)}`;
                    const detailId = `billing-detail-${String(i)}`;
                    const expanded = open === key;
                    return (
                      <Fragment key={key}>
                        <Table.Tr data-patient={row.patient}>
                          <Table.Th scope="row">{row.name}</Table.Th>
                          <Table.Td>{programLabel(t, row.program)}</Table.Td>
                          <Table.Td>{format.number(row.deviceDays)}</Table.Td>
                          <Table.Td>{row.managementTime}</Table.Td>
                          <Table.Td>
                            <Codes row={row} />
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{row.notes.join(' ')}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Button size="xs" variant="subtle" aria-expanded={expanded} aria-controls={detailId} aria-label={t('rpm.billing.detailsOf', { patient: row.name })} onClick={() => setOpen(expanded ? undefined : key)}>
                              {t('rpm.billing.details')}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                        <Table.Tr id={detailId} hidden={!expanded}>
                          <Table.Td colSpan={7}>
                            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0} data-testid="billing-detail">
                              {[
                                [t('rpm.billing.period'), row.periodStart && row.periodEnd ? `${date(row.periodStart)} – ${date(row.periodEnd)}` : t('rpm.billing.noPeriod')],
                                [t('rpm.billing.interactive'), row.interactiveContact ? t('rpm.billing.interactiveYes') : t('rpm.billing.interactiveNo')],
                                [t('rpm.billing.consent'), date(row.consentDate)],
                                [t('rpm.billing.setup'), date(row.setupDate)],
                                [t('rpm.billing.practitioner'), row.billingPractitioner ?? t('rpm.billing.missing')],
                              ].map(([term, value]) => (
                                <div key={term}>
                                  <Text component="dt" size="sm" fw={700}>
                                    {term}
                                  </Text>
                                  <Text component="dd" size="sm" m={0}>
                                    {value}
                                  </Text>
                                </div>
                              ))}
                            </SimpleGrid>
                            {row.notes.length > 0 && (
                              <List size="sm" mt="xs">
                                {row.notes.map((n) => (
                                  <List.Item key={n}>{n}</List.Item>
                                ))}
                              </List>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      ) : null}
    </Page>
  );
}
