import { SOAP_SECTIONS, type TNote } from '@careline/contracts';
import { Badge, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { signNote } from '../../api/record-api';
import { errorMessage } from '../../api/error-message';
import { ErrorAlert } from '../../ui/page';
import { useNoteAutosave, type SaveState } from './use-note-autosave';

const STATE_KEY: Record<SaveState, 'record.note.saving' | 'record.note.saved' | 'record.note.unsaved' | 'record.note.stale' | undefined> = {
  idle: undefined,
  dirty: 'record.note.unsaved',
  saving: 'record.note.saving',
  saved: 'record.note.saved',
  stale: 'record.note.stale',
  error: 'record.note.unsaved',
};

/** The draft SOAP note with autosave, a saved/saving indicator and the sign button (with a confirmation). */
export function NoteEditor({ appointmentId, note, onChange, onReload }: { readonly appointmentId: string; readonly note: TNote; readonly onChange: (note: TNote) => void; readonly onReload: () => void }) {
  const { t } = useTranslation();
  const draft = useNoteAutosave(appointmentId, note, onChange);
  const [confirming, confirm] = useDisclosure(false);
  const sign = useMutation({
    mutationFn: async () => {
      await draft.flush();
      return signNote(appointmentId, draft.version);
    },
    onSuccess: (signed) => {
      confirm.close();
      onChange(signed);
    },
  });
  const stateKey = STATE_KEY[draft.state];
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Badge variant="light">{t('record.note.draft')}</Badge>
        <Text size="sm" c={draft.state === 'stale' || draft.state === 'error' ? 'red.9' : 'dimmed'} role="status" aria-live="polite" data-testid="note-save-state" data-state={draft.state}>
          {stateKey ? t(stateKey) : ''}
        </Text>
      </Group>
      {draft.state === 'stale' && (
        <Group>
          <Button variant="default" onClick={onReload}>
            {t('record.note.reload')}
          </Button>
        </Group>
      )}
      {SOAP_SECTIONS.map((section) => (
        <Textarea
          key={section}
          label={t(`record.note.${section}`)}
          value={draft.soap[section]}
          onChange={(e) => draft.change(section, e.currentTarget.value)}
          onBlur={() => void draft.flush()}
          readOnly={draft.state === 'stale'}
          autosize
          minRows={section === 'plan' || section === 'subjective' ? 3 : 2}
          maxLength={20_000}
          data-testid={`note-${section}`}
        />
      ))}
      <Group>
        <Button onClick={confirm.open} disabled={draft.state === 'stale' || note.version === 0 && draft.state === 'idle'} data-testid="note-sign">
          {t('record.note.sign')}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={confirm.close} title={t('record.note.signConfirmTitle')}>
        <Stack>
          <Text>{t('record.note.signConfirmText')}</Text>
          <ErrorAlert message={sign.isError ? errorMessage(t, sign.error) : undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t('record.note.cancel')}
            </Button>
            <Button loading={sign.isPending} onClick={() => sign.mutate()} data-testid="note-sign-confirm">
              {t('record.note.signConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
