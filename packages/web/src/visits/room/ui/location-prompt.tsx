import { Button, Group, Paper, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The patient is asked once whether they are at home: it decides the billing place of service
 * (10 at home, 02 elsewhere) that the server records.
 */
export function LocationPrompt({ answered, onAnswer }: { readonly answered: boolean; readonly onAnswer: (atHome: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  if (answered)
    return (
      <Text size="sm" c="dimmed" role="status">
        {t('visit.location.thanks')}
      </Text>
    );
  return (
    <Paper withBorder p="md" role="group" aria-labelledby={id} data-testid="visit-location">
      <Text fw={700} id={id}>
        {t('visit.location.question')}
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        {t('visit.location.why')}
      </Text>
      <Group>
        <Button size="md" onClick={() => onAnswer(true)}>
          {t('visit.location.yes')}
        </Button>
        <Button size="md" variant="default" onClick={() => onAnswer(false)}>
          {t('visit.location.no')}
        </Button>
      </Group>
    </Paper>
  );
}
