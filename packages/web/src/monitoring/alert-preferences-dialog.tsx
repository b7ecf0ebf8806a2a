import { Button, Checkbox, Group, Modal, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message';
import { ALERT_SEVERITIES, MONITORING_PROGRAMS, alertPreferences, saveAlertPreferences, type TAlertPreferences } from '../api/monitoring-api';
import { ErrorAlert } from '../ui/page';
import { programLabel } from './labels';

const PREFERENCES_KEY = ['monitoring', 'preferences'] as const;

/** The form once the saved preferences are known (so its state starts from them). */
function PreferencesForm({ saved, onClose }: { readonly saved: TAlertPreferences; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [prefs, setPrefs] = useState<TAlertPreferences>(saved);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      client.setQueryData(PREFERENCES_KEY, await saveAlertPreferences(prefs));
      onClose();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setSaving(false);
    }
  };
  const isProgram = (v: string): v is TAlertPreferences['programs'][number] => (MONITORING_PROGRAMS as readonly string[]).includes(v);
  const isSeverity = (v: string): v is TAlertPreferences['severities'][number] => (ALERT_SEVERITIES as readonly string[]).includes(v);
  return (
    <Stack gap="md">
      <Text size="sm">{t('rpm.preferences.help')}</Text>
      <Checkbox.Group label={t('rpm.preferences.programs')} value={prefs.programs} onChange={(v) => setPrefs({ ...prefs, programs: v.filter(isProgram) })}>
        <Stack gap="xs" mt="xs">
          {MONITORING_PROGRAMS.map((p) => (
            <Checkbox key={p} value={p} label={programLabel(t, p)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox.Group label={t('rpm.preferences.severities')} value={prefs.severities} onChange={(v) => setPrefs({ ...prefs, severities: v.filter(isSeverity) })}>
        <Stack gap="xs" mt="xs">
          <Checkbox value="high" label={t('rpm.preferences.high')} />
          <Checkbox value="medium" label={t('rpm.preferences.medium')} />
        </Stack>
      </Checkbox.Group>
      <Switch
        label={t('rpm.preferences.email')}
        description={t('rpm.preferences.emailHelp')}
        checked={prefs.escalationEmail}
        onChange={(e) => setPrefs({ ...prefs, escalationEmail: e.currentTarget.checked })}
      />
      <ErrorAlert message={error} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('rpm.preferences.cancel')}
        </Button>
        <Button onClick={() => void save()} loading={saving}>
          {t('rpm.preferences.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The clinician's own alert notification preferences: which programs and severities reach them
 * live, and escalation mail. Opting out hides nothing from the queue (said in the help text).
 */
export function AlertPreferencesDialog({ onClose }: { readonly onClose: () => void }) {
  const { t } = useTranslation();
  const saved = useQuery({ queryKey: PREFERENCES_KEY, queryFn: ({ signal }) => alertPreferences(signal), retry: false });
  return (
    <Modal opened onClose={onClose} title={t('rpm.preferences.title')} closeButtonProps={{ 'aria-label': t('rpm.preferences.cancel') }}>
      <ErrorAlert message={saved.isError ? errorMessage(t, saved.error) : undefined} />
      {saved.isPending ? <Skeleton height={240} aria-hidden /> : saved.data ? <PreferencesForm saved={saved.data} onClose={onClose} /> : null}
    </Modal>
  );
}
