import { LineChart } from '@mantine/charts';
import { Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TSeries } from '../api/monitoring-api';
import { useFormat } from '../i18n/format';
import { referenceLines, seriesStats, trendRows, yDomain } from './chart-data';
import { ChartFigure } from './chart-figure';
import { chartLabel, comparatorLabel, measureLabel, unitLabel } from './labels';
import { measuresOf, type ChartId } from './measures';
import { ScrollRegion } from './scroll-region';
import { useValueFormat } from './use-value-format';

const COLORS = ['brand.8', 'grape.8'] as const;

/** Plain-language ranges for the patient's own charts. */
function guideText(t: TFunction, chart: ChartId): string {
  switch (chart) {
    case 'bp':
      return t('rpm.readings.guide.bp');
    case 'weight':
      return t('rpm.readings.guide.weight');
    case 'spo2':
      return t('rpm.readings.guide.spo2');
    case 'heart-rate':
      return t('rpm.readings.guide.heartRate');
    case 'glucose':
      return t('rpm.readings.guide.glucose');
  }
}

/**
 * One vital's trend over the chosen days: a line per measure (blood pressure: systolic and
 * diastolic), the patient's limits as dashed reference lines, a one-sentence description, and the
 * readings as a table.
 */
export function TrendChart({ chart, series, days, guide = false }: { readonly chart: ChartId; readonly series: readonly TSeries[]; readonly days: number; readonly guide?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const fmt = useValueFormat();
  const measures = measuresOf(chart);
  const rows = trendRows(series);
  const lines = referenceLines(series);
  const title = chartLabel(t, chart);
  const unit = unitLabel(t, series[0]?.unit ?? '');
  const withUnit = (n: number) => `${fmt.value(n)} ${unit}`;
  const main = series[0];
  const stats = main ? seriesStats(main) : undefined;
  const limitText = lines.map((l) => t('rpm.patient.limit', { measure: measureLabel(t, l.measure), rule: comparatorLabel(t, l.comparator, withUnit(l.value)) }));

  let summary: string;
  if (!stats?.latest || stats.min === null || stats.max === null) summary = t('rpm.patient.noReadings', { chart: title, days });
  else {
    // Blood pressure reads "142/88": the latest of each measure at the newest instant.
    const newest = rows[rows.length - 1];
    const latest = measures.length > 1 && newest ? measures.map((m) => (typeof newest[m] === 'number' ? fmt.value(newest[m]) : '—')).join('/') : fmt.value(stats.latest.value);
    summary = t('rpm.patient.summary', { chart: title, days, count: rows.length, min: withUnit(stats.min), max: withUnit(stats.max), latest: `${latest} ${unit}`, at: format.dateTime(stats.latest.at), outside: stats.outside });
  }
  if (limitText.length > 0) summary = `${summary} ${t('rpm.patient.limits', { list: limitText.join('; ') })}`;

  const origins = new Map<number, string>();
  for (const s of series) for (const p of s.points) origins.set(Date.parse(p.at), p.origin);

  const table = (
    <ScrollRegion label={t('rpm.patient.tableCaption', { chart: title, days })} minWidth={320}>
      <Table striped data-testid={`table-${chart}`}>
        <Table.Caption>{t('rpm.patient.tableCaption', { chart: title, days })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('rpm.patient.colTime')}</Table.Th>
            {measures.map((m) => (
              <Table.Th scope="col" key={m}>
                {measureLabel(t, m)} ({unit})
              </Table.Th>
            ))}
            <Table.Th scope="col">{t('rpm.patient.colSource')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...rows].reverse().map((r) => (
            <Table.Tr key={r.t}>
              <Table.Td>
                <time dateTime={new Date(r.t).toISOString()}>{format.dateTime(new Date(r.t))}</time>
              </Table.Td>
              {measures.map((m) => (
                <Table.Td key={m}>{typeof r[m] === 'number' ? fmt.value(r[m]) : '—'}</Table.Td>
              ))}
              <Table.Td>{origins.get(r.t) === 'patient-entered' ? t('rpm.patient.patientEntered') : t('rpm.patient.device')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );

  const plain = guide ? (
    <Text size="sm" c="dark.6" data-testid={`guide-${chart}`}>
      {guideText(t, chart)}
      {lines.length > 0 ? ` ${t('rpm.readings.yourLimits', { list: lines.map((l) => comparatorLabel(t, l.comparator, withUnit(l.value))).join(', ') })}` : ''}
    </Text>
  ) : undefined;

  return (
    <ChartFigure title={title} summary={summary} table={table} testId={`chart-${chart}`} note={plain} height={rows.length === 0 ? 'auto' : 260}>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('rpm.readings.none')}
        </Text>
      ) : (
        <LineChart
          h="100%"
          data={rows}
          dataKey="t"
          series={measures.map((m, i) => ({ name: m, label: measureLabel(t, m), color: COLORS[i] ?? 'dark.6' }))}
          curveType="linear"
          connectNulls
          withLegend={measures.length > 1}
          unit={` ${unit}`}
          valueFormatter={fmt.value}
          xAxisProps={{ type: 'number', scale: 'time', domain: ['dataMin', 'dataMax'], tickFormatter: (v: number) => fmt.day(v) }}
          yAxisProps={{ domain: yDomain(rows, measures, lines) ?? ['auto', 'auto'], width: 48 }}
          tooltipProps={{ labelFormatter: (v: unknown) => (typeof v === 'number' ? format.dateTime(new Date(v)) : '') }}
          referenceLines={lines.map((l) => ({ y: l.value, color: l.severity === 'high' ? 'red.8' : 'orange.8', label: comparatorLabel(t, l.comparator, fmt.value(l.value)), labelPosition: 'insideTopRight', strokeDasharray: '6 4' }))}
          lineChartProps={{ accessibilityLayer: false }}
          textColor="dark.7"
        />
      )}
    </ChartFigure>
  );
}
