import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { disableUser, enableUser, ROLES, setUserRoles, type TAdminUser, type TRole } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ErrorAlert } from '../ui/page';

/** The dialog that edits a user's roles in one organization (PUT …/users/:id/roles): it is its own confirmation. */
export function RolesDialog({ organizationId, user, onClose, onSaved }: { readonly organizationId: string; readonly user: TAdminUser; readonly onClose: () => void; readonly onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>([...user.roles]);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setError(undefined);
    const chosen = ROLES.filter((r) => roles.includes(r));
    if (chosen.length === 0) {
      setError(t('admin.rolesAtLeastOne'));
      return;
    }
    setSaving(true);
    try {
      await setUserRoles(organizationId, user.id, chosen);
      onSaved(t('admin.rolesSaved', { email: user.email }));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('admin.rolesDialogTitle', { email: user.email })} closeButtonProps={{ 'aria-label': t('admin.cancel') }}>
      <Stack gap="sm">
        <Checkbox.Group label={t('admin.userRoles')} description={t('admin.rolesDialogHelp')} value={roles} onChange={setRoles}>
          <Stack gap="xs" mt="xs">
            {ROLES.map((r: TRole) => (
              <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        <ErrorAlert message={error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button onClick={() => void save()} loading={saving}>
            {t('admin.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Confirms disabling (every session ends at once) or enabling an account. */
export function StatusDialog({ organizationId, user, onClose, onDone }: { readonly organizationId: string; readonly user: TAdminUser; readonly onClose: () => void; readonly onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const disabling = user.status === 'active';
  const confirm = async () => {
    setError(undefined);
    setSaving(true);
    try {
      if (disabling) await disableUser(organizationId, user.id);
      else await enableUser(organizationId, user.id);
      onDone(disabling ? t('admin.disabled', { email: user.email }) : t('admin.enabled', { email: user.email }));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={disabling ? t('admin.disableTitle') : t('admin.enableTitle')} closeButtonProps={{ 'aria-label': t('admin.cancel') }}>
      <Stack gap="sm">
        <Text>{disabling ? t('admin.disableBody', { email: user.email }) : t('admin.enableBody', { email: user.email })}</Text>
        <ErrorAlert message={error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button color={disabling ? 'red.9' : undefined} onClick={() => void confirm()} loading={saving}>
            {disabling ? t('admin.disableConfirm') : t('admin.enableConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
