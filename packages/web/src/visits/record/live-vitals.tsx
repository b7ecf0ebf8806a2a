import type { TVitalEvent } from '@careline/contracts';
import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';

/** LOINC code → label key (the server's label is English; the screen speaks the user's language). */
const LABELS: Readonly<Record<string, 'bp' | 'heartRate' | 'spo2' | 'temperature' | 'weight' | 'respiratoryRate'>> = {
  '85354-9': 'bp',
  '8867-4': 'heartRate',
  '59408-5': 'spo2',
  '8310-5': 'temperature',
  '29463-7': 'weight',
  '9279-1': 'respiratoryRate',
};

/** Vitals recorded during the visit (live events from the room, or the record's list), newest first. */
export function LiveVitals({ vitals }: { readonly vitals: readonly TVitalEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const sorted = [...vitals].sort((a, b) => b.effective.localeCompare(a.effective));
  if (sorted.length === 0) return <Text c="dimmed">{t('record.vitals.none')}</Text>;
  return (
    <SimpleGrid component="ul" cols={{ base: 1, xs: 2, md: 3 }} spacing="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('record.vitals.liveHeading')} data-testid="live-vitals">
      {sorted.map((v) => {
        const key = LABELS[v.code];
        return (
          <Paper component="li" key={v.observation} withBorder p="xs" data-code={v.code}>
            <Text size="sm" c="dimmed">
              {key ? t(`record.vitals.labels.${key}`) : v.label}
            </Text>
            <Text fw={700} fz="lg">
              {v.value}
            </Text>
            <Text size="xs" c="dimmed">
              <time dateTime={v.effective}>{format.time(v.effective)}</time>
            </Text>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
