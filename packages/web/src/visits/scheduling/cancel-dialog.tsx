/** "Cancel this visit?" — says which visit, asks why (the contract requires a reason), and confirms. */
import { ZCancelRequest, type TAppointment } from '@careline/contracts';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cancelAppointment } from '../../api/scheduling-api';
import { ErrorAlert } from '../../ui/page';
import { schedulingError } from './labels';
import { useVisitFormat } from './visit-time';

export function CancelDialog({ appointment, onClose, onCancelled }: { readonly appointment: TAppointment | undefined; readonly onClose: () => void; readonly onCancelled: (a: TAppointment) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const close = () => {
    setReason('');
    setInvalid(false);
    setError(undefined);
    onClose();
  };
  const submit = async (e: React.SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!appointment) return;
    const parsed = ZCancelRequest.safeParse({ reason: reason.trim() });
    if (!parsed.success) {
      setInvalid(true);
      document.getElementById('cancel-reason')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const done = await cancelAppointment(appointment.id, parsed.data);
      setReason('');
      onCancelled(done);
    } catch (err) {
      setError(schedulingError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={Boolean(appointment)} onClose={close} title={t('scheduling.cancel.title')} centered size="md" closeButtonProps={{ 'aria-label': t('scheduling.details.close') }}>
      {appointment ? (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="md">
            <Text>
              {t('scheduling.cancel.what', { type: appointment.visitType.display, name: appointment.practitioner.display, when: `${format.day(appointment.start)}, ${format.time(appointment.start)}` })}
            </Text>
            <ErrorAlert message={error} />
            <Textarea
              id="cancel-reason"
              name="reason"
              label={t('scheduling.cancel.reason')}
              description={t('scheduling.cancel.reasonHelp')}
              required
              maxLength={500}
              autosize
              minRows={2}
              size="md"
              value={reason}
              error={invalid ? t('scheduling.cancel.reasonRequired') : undefined}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setInvalid(false);
              }}
              data-autofocus
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" size="md" onClick={close}>
                {t('scheduling.cancel.keep')}
              </Button>
              <Button type="submit" color="red.9" size="md" loading={busy}>
                {t('scheduling.cancel.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
