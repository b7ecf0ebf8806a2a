import { SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message';
import type { TSeries, TSeriesDays } from '../api/monitoring-api';
import { ErrorAlert } from '../ui/page';
import { measuresOf, type ChartId } from './measures';
import { TrendChart } from './trend-chart';

export const PERIODS: readonly TSeriesDays[] = [7, 30, 90];

/** Trend charts of the patient's relevant vitals over the chosen period, one query per measure. */
export function Trends({ charts, days, scope, load, guide = false }: {
  readonly charts: readonly ChartId[];
  readonly days: TSeriesDays;
  /** Names whose readings these are in the query cache (e.g. "care:Patient/1", "self:Patient/1"). */
  readonly scope: string;
  readonly load: (measure: string, days: TSeriesDays, signal: AbortSignal) => Promise<TSeries>;
  /** The patient's own view: plain-language ranges under each chart. */
  readonly guide?: boolean;
}) {
  const { t } = useTranslation();
  const wanted = charts.flatMap((c) => measuresOf(c).map((m) => ({ chart: c, measure: m })));
  const results = useQueries({
    queries: wanted.map((w) => ({ queryKey: ['monitoring', 'series', scope, w.measure, days], queryFn: ({ signal }: { signal: AbortSignal }) => load(w.measure, days, signal), retry: false })),
  });
  const failed = results.find((r) => r.isError);
  return (
    <Stack gap="lg">
      <ErrorAlert message={failed?.error ? errorMessage(t, failed.error) : undefined} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        {charts.map((c) => {
          const parts = wanted.flatMap((w, i) => (w.chart === c ? [results[i]] : []));
          if (parts.some((p) => !p || p.isPending)) return <Skeleton key={c} height={320} aria-hidden />;
          const series = parts.flatMap((p) => (p?.data ? [p.data] : []));
          return <TrendChart key={c} chart={c} series={series} days={days} guide={guide} />;
        })}
      </SimpleGrid>
    </Stack>
  );
}
