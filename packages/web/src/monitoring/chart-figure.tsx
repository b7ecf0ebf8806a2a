import '@mantine/charts/styles.css';
import { Box, Stack, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A chart as an accessible figure: a heading, a sentence that says what the chart shows (read by
 * everyone, and the image's description for screen readers), the drawing as one image (charts are
 * drawn without recharts' keyboard layer, so nothing inside is focusable), and the same data as a
 * table behind a native disclosure (WCAG 1.1.1, 1.3.1). The charts' styles load with this chunk, after
 * @mantine/core's (Mantine 8: core styles first).
 */
export function ChartFigure({ title, summary, table, children, testId, note, height = 260 }: {
  readonly title: string;
  readonly summary: string;
  readonly table: ReactNode;
  readonly children: ReactNode;
  readonly testId?: string;
  /** Shown under the heading (the portal's plain-language ranges). */
  readonly note?: ReactNode;
  readonly height?: number | 'auto';
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const summaryId = useId();
  return (
    <Stack component="figure" gap="xs" m={0} aria-labelledby={titleId} data-testid={testId}>
      <Title order={3} fz="h5" id={titleId}>
        {title}
      </Title>
      {note}
      <Text size="sm" id={summaryId}>
        {summary}
      </Text>
      <Box role="img" aria-labelledby={titleId} aria-describedby={summaryId} h={height}>
        {children}
      </Box>
      <details>
        <summary>
          <Text component="span" size="sm" fw={600}>
            {t('rpm.patient.showTable')}
          </Text>
        </summary>
        {table}
      </details>
    </Stack>
  );
}
