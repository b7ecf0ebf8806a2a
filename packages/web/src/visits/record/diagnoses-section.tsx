import { DIAGNOSIS_PICKS, type TDiagnosis } from '@careline/contracts';
import { ActionIcon, Button, Group, List, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message';
import { addDiagnosis, removeDiagnosis } from '../../api/record-api';
import { ErrorAlert } from '../../ui/page';

/** Encounter diagnoses: a short SNOMED CT pick list or free text; removable while the note is a draft. */
export function DiagnosesSection({ appointmentId, diagnoses, editable, onChange }: { readonly appointmentId: string; readonly diagnoses: readonly TDiagnosis[]; readonly editable: boolean; readonly onChange: () => void }) {
  const { t } = useTranslation();
  const [snomed, setSnomed] = useState('');
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: () => addDiagnosis(appointmentId, { ...(snomed ? { snomed } : {}), ...(text.trim() ? { text: text.trim() } : {}) }),
    onSuccess: () => {
      setSnomed('');
      setText('');
      onChange();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => removeDiagnosis(appointmentId, id), onSuccess: onChange });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('record.diagnoses.heading')}
      </Title>
      {diagnoses.length === 0 ? (
        <Text c="dimmed">{t('record.diagnoses.none')}</Text>
      ) : (
        <List data-testid="diagnoses">
          {diagnoses.map((d) => (
            <List.Item key={d.id}>
              <Group gap="xs">
                <Text>
                  {d.text}
                  {d.code ? <Text span c="dimmed" size="sm">{` (SNOMED CT ${d.code.code})`}</Text> : null}
                </Text>
                {editable && (
                  <ActionIcon variant="subtle" color="red.9" aria-label={t('record.diagnoses.remove', { name: d.text })} onClick={() => remove.mutate(d.id)}>
                    ×
                  </ActionIcon>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const empty = !snomed && !text.trim();
            setMissing(empty);
            if (!empty) add.mutate();
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <NativeSelect
              label={t('record.diagnoses.pick')}
              value={snomed}
              onChange={(e) => setSnomed(e.currentTarget.value)}
              data={[{ value: '', label: t('record.diagnoses.pickPlaceholder') }, ...DIAGNOSIS_PICKS.map((p) => ({ value: p.code, label: p.display }))]}
            />
            <TextInput label={t('record.diagnoses.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} maxLength={500} error={missing ? t('record.diagnoses.required') : undefined} />
            <Button type="submit" variant="default" loading={add.isPending}>
              {t('record.diagnoses.add')}
            </Button>
          </Group>
        </form>
      )}
      <ErrorAlert message={add.isError ? errorMessage(t, add.error) : remove.isError ? errorMessage(t, remove.error) : undefined} />
    </Stack>
  );
}
