import { BarChart } from '@mantine/charts';
import { SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { patientCgm, type TCgm } from '../api/monitoring-api';
import { errorMessage } from '../api/error-message';
import { ErrorAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { agpRows, minuteLabel, tirBar, tirSegments } from './chart-data';
import { ChartFigure } from './chart-figure';
import { rangeLabel } from './labels';
import { ScrollRegion } from './scroll-region';
import { useValueFormat } from './use-value-format';

const CGM_DAYS = 14;
/** Conventional AGP colours: lows red, target green, highs amber/orange. */
const RANGE_COLORS = { veryLow: 'red.9', low: 'red.6', inRange: 'green.8', high: 'yellow.6', veryHigh: 'orange.8' } as const;
const HOURS = [0, 180, 360, 540, 720, 900, 1080, 1260, 1440];

/** CGM patients: summary metrics, time in ranges (stacked bar) and the AGP (percentile bands over a day). */
export function CgmSection({ patient }: { readonly patient: string }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['monitoring', 'cgm', patient, CGM_DAYS], queryFn: ({ signal }) => patientCgm(patient, CGM_DAYS, signal), retry: false });
  return (
    <Panel title={t('rpm.cgm.title')} testId="panel-cgm">
      {query.isError ? (
        <ErrorAlert message={errorMessage(t, query.error)} />
      ) : query.isPending ? (
        <Skeleton height={200} aria-hidden />
      ) : query.data.summary.readings === 0 ? (
        <Text c="dimmed">{t('rpm.cgm.none')}</Text>
      ) : (
        <CgmCharts cgm={query.data} />
      )}
    </Panel>
  );
}

function CgmCharts({ cgm }: { readonly cgm: TCgm }) {
  const { t } = useTranslation();
  const fmt = useValueFormat();
  const pct = (n: number) => `${fmt.value(n)} %`;
  const s = cgm.summary;
  const segments = tirSegments(s.ranges);
  const rows = agpRows(cgm.agp);
  const medians = rows.map((r) => r.p50);
  const stat = (label: string, value: string) => (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700}>{value}</Text>
    </div>
  );
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {stat(t('rpm.cgm.mean'), s.meanMgDl === null ? '—' : `${fmt.value(s.meanMgDl)} mg/dL`)}
        {stat(t('rpm.cgm.gmi'), s.gmiPercent === null ? '—' : pct(s.gmiPercent))}
        {stat(t('rpm.cgm.cv'), s.cvPercent === null ? '—' : pct(s.cvPercent))}
        {stat(t('rpm.cgm.wear'), pct(s.sensorActivePercent))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ChartFigure
          testId="chart-tir"
          title={t('rpm.cgm.tir')}
          summary={t('rpm.cgm.tirSummary', { list: segments.map((x) => `${rangeLabel(t, x.key)}: ${pct(x.percent)}`).join('; ') })}
          table={
            <Table striped data-testid="table-tir">
              <Table.Caption>{t('rpm.cgm.tir')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('rpm.cgm.colRange')}</Table.Th>
                  <Table.Th scope="col">{t('rpm.cgm.colPercent')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {segments.map((x) => (
                  <Table.Tr key={x.key}>
                    <Table.Th scope="row">{rangeLabel(t, x.key)}</Table.Th>
                    <Table.Td>{pct(x.percent)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          }
        >
          <BarChart
            h="100%"
            data={[tirBar(s.ranges, t('rpm.cgm.period'))]}
            dataKey="label"
            type="stacked"
            // Stacked bottom-up: very low at the bottom, very high on top (the AGP report's bar).
            series={[...segments].reverse().map((x) => ({ name: x.key, label: rangeLabel(t, x.key), color: RANGE_COLORS[x.key] }))}
            valueFormatter={(v) => pct(v)}
            yAxisProps={{ domain: [0, 100], width: 60 }}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            barChartProps={{ accessibilityLayer: false }}
            textColor="dark.7"
          />
        </ChartFigure>
        <ChartFigure
          testId="chart-agp"
          title={t('rpm.cgm.agp')}
          summary={t('rpm.cgm.agpSummary', { zone: cgm.timeZone, low: fmt.value(Math.min(...medians)), high: fmt.value(Math.max(...medians)) })}
          table={
            <ScrollRegion label={t('rpm.cgm.agp')} minWidth={420}>
              <Table striped data-testid="table-agp">
                <Table.Caption>{t('rpm.cgm.agp')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('rpm.cgm.colHour')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.cgm.p5')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.cgm.p25')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.cgm.median')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.cgm.p75')}</Table.Th>
                    <Table.Th scope="col">{t('rpm.cgm.p95')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.minute}>
                      <Table.Th scope="row">{minuteLabel(r.minute)}</Table.Th>
                      {[r.p5, r.p25, r.p50, r.p75, r.p95].map((v, i) => (
                        <Table.Td key={i}>{fmt.value(v)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          }
        >
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-gray-3)" />
              <XAxis dataKey="minute" type="number" domain={[0, 1440]} ticks={HOURS} tickFormatter={(m: number) => minuteLabel(m)} stroke="var(--mantine-color-dark-7)" fontSize={12} />
              <YAxis domain={[40, 400]} ticks={[54, 70, 180, 250, 400]} width={40} stroke="var(--mantine-color-dark-7)" fontSize={12} />
              <ReferenceLine y={70} stroke="var(--mantine-color-green-9)" strokeDasharray="6 4" />
              <ReferenceLine y={180} stroke="var(--mantine-color-green-9)" strokeDasharray="6 4" />
              <Area dataKey="outer" name={t('rpm.cgm.band90')} stroke="none" fill="var(--mantine-color-blue-2)" fillOpacity={0.9} isAnimationActive={false} />
              <Area dataKey="inner" name={t('rpm.cgm.band50')} stroke="none" fill="var(--mantine-color-blue-5)" fillOpacity={0.8} isAnimationActive={false} />
              <Line dataKey="p50" name={t('rpm.cgm.median')} stroke="var(--mantine-color-blue-9)" strokeWidth={2} dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartFigure>
      </SimpleGrid>
    </Stack>
  );
}
