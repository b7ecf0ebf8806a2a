import { Button, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message';
import { addMyReading } from '../api/monitoring-api';
import { ErrorAlert, SuccessAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { readingTypeLabel, unitLabel } from './labels';
import { checkReading, localMinute, READING_TYPES, UNITS, type ReadingField, type ReadingFormValues, type ReadingType } from './reading-form';

const blank = (): ReadingFormValues => ({ type: 'blood-pressure', systolic: '', diastolic: '', pulse: '', value: '', unit: 'mmHg', takenAt: localMinute(new Date()) });

/** "Add a reading": checked in the browser first (same limits as the server), then sent as patient-entered. */
export function AddReadingForm({ patient }: { readonly patient: string | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ReadingFormValues>(blank);
  const [errors, setErrors] = useState<ReturnType<typeof checkReading>['errors']>({});
  const [sending, setSending] = useState(false);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string>();

  const set = (field: keyof ReadingFormValues) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setSaved(false);
    setValues((v) => (field === 'type' ? { ...v, type: value as ReadingType, unit: UNITS[value as ReadingType][0] ?? '' } : { ...v, [field]: value }));
  };
  const message = (field: ReadingField): string | undefined => {
    const e = errors[field];
    if (!e) return undefined;
    switch (e.problem) {
      case 'required':
        return t('rpm.readings.errors.required');
      case 'number':
        return t('rpm.readings.errors.number');
      case 'range':
        return t('rpm.readings.errors.range', { min: e.min ?? 0, max: e.max ?? 0 });
      case 'order':
        return t('rpm.readings.errors.order');
      case 'future':
        return t('rpm.readings.errors.future');
      case 'old':
        return t('rpm.readings.errors.old');
    }
  };

  const submit = async (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFailure(undefined);
    setSaved(false);
    const checked = checkReading(values, new Date());
    setErrors(checked.errors);
    if (!checked.reading) {
      // Focus the first field with a problem so keyboard and screen-reader users land on it.
      const first = (['systolic', 'diastolic', 'pulse', 'value', 'takenAt'] as const).find((f) => checked.errors[f]);
      if (first) document.getElementById(`reading-${first}`)?.focus();
      return;
    }
    setSending(true);
    try {
      await addMyReading(checked.reading, patient);
      setSaved(true);
      setValues({ ...blank(), type: values.type, unit: values.unit });
      await queryClient.invalidateQueries({ queryKey: ['monitoring', 'series'] });
    } catch (err) {
      setFailure(errorMessage(t, err));
    } finally {
      setSending(false);
    }
  };

  const numeric = (field: 'systolic' | 'diastolic' | 'pulse' | 'value', label: string, required = true) => (
    <TextInput id={`reading-${field}`} label={label} inputMode="decimal" autoComplete="off" value={values[field]} onChange={set(field)} error={message(field)} required={required} />
  );
  return (
    <Panel title={t('rpm.readings.add')} testId="panel-add-reading">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('rpm.readings.add')}>
        <Stack gap="sm">
          <Text size="sm">{t('rpm.readings.addIntro')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect label={t('rpm.readings.type')} value={values.type} onChange={set('type')} data={READING_TYPES.map((r) => ({ value: r, label: readingTypeLabel(t, r) }))} />
            <TextInput id="reading-takenAt" type="datetime-local" label={t('rpm.readings.takenAt')} value={values.takenAt} onChange={set('takenAt')} error={message('takenAt')} required />
            {values.type === 'blood-pressure' ? (
              <>
                {numeric('systolic', `${t('rpm.readings.systolic')} (mmHg)`)}
                {numeric('diastolic', `${t('rpm.readings.diastolic')} (mmHg)`)}
                {numeric('pulse', t('rpm.readings.pulse'), false)}
              </>
            ) : (
              <>
                {numeric('value', t('rpm.readings.value'))}
                {UNITS[values.type].length > 1 && <NativeSelect label={t('rpm.readings.unit')} value={values.unit} onChange={set('unit')} data={UNITS[values.type].map((u) => ({ value: u, label: unitLabel(t, u) }))} />}
              </>
            )}
          </SimpleGrid>
          <ErrorAlert message={failure} />
          {saved && <SuccessAlert>{t('rpm.readings.saved')}</SuccessAlert>}
          <div>
            <Button type="submit" loading={sending}>
              {t('rpm.readings.submit')}
            </Button>
          </div>
        </Stack>
      </form>
    </Panel>
  );
}
