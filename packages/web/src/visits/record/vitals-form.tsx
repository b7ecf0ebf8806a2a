import { Button, Group, NativeSelect, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message';
import { ApiError } from '../../api/http';
import { recordVitals } from '../../api/record-api';
import { ErrorAlert, SuccessAlert } from '../../ui/page';
import { EMPTY_VITALS, vitalsBody, type FieldError, type NumericField, type VitalsFormValues } from './vitals-form-model';

/** The telepresenter's (or clinician's) vitals entry during the visit; the room shows each one live. */
export function VitalsForm({ appointmentId }: { readonly appointmentId: string }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<VitalsFormValues>(EMPTY_VITALS);
  const [errors, setErrors] = useState<Partial<Record<NumericField | 'form', FieldError>>>({});
  const save = useMutation({
    mutationFn: recordVitals.bind(null, appointmentId),
    onSuccess: () => setValues(EMPTY_VITALS),
  });
  const set = (key: keyof VitalsFormValues, value: string) => setValues((v) => ({ ...v, [key]: value }));
  const field = (name: NumericField) => (
    <TextInput
      label={t(`record.vitals.${name}`)}
      value={values[name]}
      onChange={(e) => set(name, e.currentTarget.value)}
      inputMode="decimal"
      error={errors[name] ? t(`record.vitals.${errors[name]}`) : undefined}
      data-testid={`vitals-${name}`}
    />
  );
  // The server names the implausible field and its accepted range (OperationOutcome diagnostics).
  const serverError = save.error instanceof ApiError && save.error.code === 'validation-failed' ? save.error.diagnostics : save.isError ? errorMessage(t, save.error) : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = vitalsBody(values);
        if ('errors' in parsed) {
          setErrors(parsed.errors);
          return;
        }
        setErrors({});
        save.mutate(parsed.body);
      }}
      aria-labelledby="vitals-form-title"
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="vitals-form-title">
          {t('record.vitals.heading')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
          {field('systolic')}
          {field('diastolic')}
          {field('heartRate')}
          {field('spo2')}
          {field('respiratoryRate')}
          <Group grow gap={4} align="flex-start">
            {field('temperature')}
            <NativeSelect
              label={t('record.vitals.temperatureUnit')}
              value={values.temperatureUnit}
              onChange={(e) => set('temperatureUnit', e.currentTarget.value)}
              data={[{ value: 'Cel', label: t('record.vitals.celsius') }, { value: '[degF]', label: t('record.vitals.fahrenheit') }]}
            />
          </Group>
          <Group grow gap={4} align="flex-start">
            {field('weight')}
            <NativeSelect
              label={t('record.vitals.weightUnit')}
              value={values.weightUnit}
              onChange={(e) => set('weightUnit', e.currentTarget.value)}
              data={[{ value: 'kg', label: t('record.vitals.kg') }, { value: '[lb_av]', label: t('record.vitals.lb') }]}
            />
          </Group>
        </SimpleGrid>
        <ErrorAlert message={errors.form ? t('record.vitals.empty') : serverError} />
        {save.isSuccess && <SuccessAlert>{t('record.vitals.recorded')}</SuccessAlert>}
        <Button type="submit" loading={save.isPending} style={{ alignSelf: 'flex-start' }} data-testid="vitals-submit">
          {t('record.vitals.submit')}
        </Button>
      </Stack>
    </form>
  );
}
