import { MEDICATION_PICKS, type TPrescription } from '@careline/contracts';
import { ActionIcon, Anchor, Button, Group, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message';
import { addPrescription, prescriptionPdfUrl, removePrescription } from '../../api/record-api';
import { ErrorAlert } from '../../ui/page';

const EMPTY = { rxnorm: '', medicationText: '', dosage: '', quantity: '' as number | string, unit: '', refills: 0 as number | string, note: '' };

/** Prescriptions (MedicationRequest): RxNorm pick list or text; each printable as PDF. No e-prescribing network. */
export function PrescriptionsSection({ appointmentId, prescriptions, editable, onChange }: { readonly appointmentId: string; readonly prescriptions: readonly TPrescription[]; readonly editable: boolean; readonly onChange: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const [missing, setMissing] = useState(false);
  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const add = useMutation({
    mutationFn: () =>
      addPrescription(appointmentId, {
        ...(form.rxnorm ? { rxnorm: form.rxnorm } : {}),
        ...(form.medicationText.trim() ? { medicationText: form.medicationText.trim() } : {}),
        dosage: form.dosage.trim(),
        quantity: { value: Number(form.quantity), unit: form.unit.trim() },
        refills: Number(form.refills),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      }),
    onSuccess: () => {
      setForm(EMPTY);
      onChange();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => removePrescription(appointmentId, id), onSuccess: onChange });
  const valid = (form.rxnorm || form.medicationText.trim()) && form.dosage.trim() && Number(form.quantity) > 0 && form.unit.trim();
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('record.prescriptions.heading')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('record.prescriptions.noNetwork')}
      </Text>
      {prescriptions.length === 0 && <Text c="dimmed">{t('record.prescriptions.none')}</Text>}
      <Stack gap="xs" data-testid="prescriptions">
        {prescriptions.map((p) => (
          <Paper key={p.id} withBorder p="xs">
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text fw={600}>{p.medication.text}</Text>
                <Text size="sm">{t('record.prescriptions.summary', { dosage: p.dosage, quantity: p.quantity.value, unit: p.quantity.unit, refills: p.refills })}</Text>
              </div>
              <Group gap="xs">
                <Anchor href={prescriptionPdfUrl(appointmentId, p.id)} target="_blank" rel="noopener">
                  {t('record.prescriptions.print', { name: p.medication.text })}
                </Anchor>
                {editable && (
                  <ActionIcon variant="subtle" color="red.9" aria-label={t('record.prescriptions.remove', { name: p.medication.text })} onClick={() => remove.mutate(p.id)}>
                    ×
                  </ActionIcon>
                )}
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      {editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setMissing(!valid);
            if (valid) add.mutate();
          }}
        >
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <NativeSelect
                label={t('record.prescriptions.pick')}
                value={form.rxnorm}
                onChange={(e) => set('rxnorm', e.currentTarget.value)}
                data={[{ value: '', label: t('record.prescriptions.pickPlaceholder') }, ...MEDICATION_PICKS.map((p) => ({ value: p.code, label: p.display }))]}
              />
              <TextInput label={t('record.prescriptions.medication')} value={form.medicationText} onChange={(e) => set('medicationText', e.currentTarget.value)} maxLength={300} />
              <TextInput label={t('record.prescriptions.dosage')} value={form.dosage} onChange={(e) => set('dosage', e.currentTarget.value)} maxLength={500} />
              <Group grow gap="xs">
                <NumberInput label={t('record.prescriptions.quantity')} value={form.quantity} onChange={(v) => set('quantity', v)} min={0} max={10_000} />
                <TextInput label={t('record.prescriptions.unit')} value={form.unit} onChange={(e) => set('unit', e.currentTarget.value)} maxLength={40} />
                <NumberInput label={t('record.prescriptions.refills')} value={form.refills} onChange={(v) => set('refills', v)} min={0} max={12} allowDecimal={false} />
              </Group>
              <TextInput label={t('record.prescriptions.note')} value={form.note} onChange={(e) => set('note', e.currentTarget.value)} maxLength={500} />
            </SimpleGrid>
            {missing && <Text c="red.9" size="sm" role="alert">{t('record.prescriptions.required')}</Text>}
            <Button type="submit" variant="default" loading={add.isPending} style={{ alignSelf: 'flex-start' }}>
              {t('record.prescriptions.add')}
            </Button>
          </Stack>
        </form>
      )}
      <ErrorAlert message={add.isError ? errorMessage(t, add.error) : remove.isError ? errorMessage(t, remove.error) : undefined} />
    </Stack>
  );
}
