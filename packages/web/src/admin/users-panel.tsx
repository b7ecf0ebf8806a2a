import { Badge, Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inviteUser, listUsers, ROLES, type TAdminUser } from '../api/auth-api';
import { useMe } from '../auth/session';
import { errorMessage } from '../api/error-message';
import { ZInviteForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { useFormat } from '../i18n/format';
import { ErrorAlert, SuccessAlert } from '../ui/page';
import { Panel } from '../ui/panel';
import { RolesDialog, StatusDialog } from './user-actions';

export function UsersPanel({ organizationIds }: { readonly organizationIds: readonly string[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const organizationId = organizationIds[0];
  const users = useQuery({
    queryKey: ['admin', 'users', organizationId],
    queryFn: () => listUsers(organizationId ?? ''),
    enabled: Boolean(organizationId),
    retry: false,
  });
  const form = useZodForm(ZInviteForm, { email: '', role: 'patient', given: '', family: '', birthDate: '' });
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<string>();
  const me = useMe();
  const [dialog, setDialog] = useState<{ kind: 'roles' | 'status'; user: TAdminUser }>();
  const [changed, setChanged] = useState<string>();
  const done = (message: string) => {
    setDialog(undefined);
    setChanged(message);
    void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
  };

  return (
    <Panel title={t('admin.users')} testId="panel-users">
      <Stack gap="md">
        {users.isError && <Text c="dimmed">{t('panels.unavailable')}</Text>}
        {users.data && users.data.length === 0 && <Text c="dimmed">{t('panels.empty')}</Text>}
        {changed && <SuccessAlert>{changed}</SuccessAlert>}
        {users.data && users.data.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.userEmail')}</Table.Th>
                  <Table.Th scope="col">{t('admin.userRoles')}</Table.Th>
                  <Table.Th scope="col">{t('admin.userStatus')}</Table.Th>
                  <Table.Th scope="col">{t('admin.userMfa')}</Table.Th>
                  <Table.Th scope="col">{t('admin.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.email}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {u.roles.map((r) => (
                          <Badge key={r} variant="outline" color="dark.6">
                            {t(`roles.${r}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{u.status === 'active' ? t('admin.statusActive') : t('admin.statusDisabled')}</Table.Td>
                    <Table.Td>{u.mfaEnabled ? t('admin.yes') : t('admin.no')}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-sm" variant="default" aria-label={t('admin.editRolesOf', { email: u.email })} onClick={() => setDialog({ kind: 'roles', user: u })}>
                          {t('admin.editRoles')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="default"
                          disabled={u.id === me.data?.id}
                          aria-label={u.status === 'active' ? t('admin.disableOf', { email: u.email }) : t('admin.enableOf', { email: u.email })}
                          onClick={() => setDialog({ kind: 'status', user: u })}
                        >
                          {u.status === 'active' ? t('admin.disable') : t('admin.enable')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {dialog && organizationId && dialog.kind === 'roles' && <RolesDialog organizationId={organizationId} user={dialog.user} onClose={() => setDialog(undefined)} onSaved={done} />}
        {dialog && organizationId && dialog.kind === 'status' && <StatusDialog organizationId={organizationId} user={dialog.user} onClose={() => setDialog(undefined)} onDone={done} />}
        <Title order={3} fz="h5">
          {t('admin.invite')}
        </Title>
        <ErrorAlert message={error} />
        {sent && <SuccessAlert>{sent}</SuccessAlert>}
        <form
          noValidate
          onSubmit={form.onSubmit(async (v) => {
            setError(undefined);
            setSent(undefined);
            if (!organizationId) return;
            try {
              const r = await inviteUser({
                email: v.email,
                role: v.role,
                organizationId,
                ...(v.given ? { given: v.given } : {}),
                ...(v.family ? { family: v.family } : {}),
                ...(v.birthDate ? { birthDate: v.birthDate } : {}),
              });
              setSent(t('admin.invited', { email: v.email, date: format.dateTime(r.expiresAt) }));
              form.setValues({ email: '', role: v.role, given: '', family: '', birthDate: '' });
              await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
            } catch (err) {
              setError(errorMessage(t, err));
            }
          })}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('admin.inviteEmail')} type="email" autoComplete="off" required {...form.field('email')} />
            <NativeSelect label={t('admin.inviteRole')} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} {...form.field('role')} onChange={(e) => form.setValues({ ...form.values, role: e.currentTarget.value })} />
            <TextInput label={t('admin.inviteGiven')} autoComplete="off" {...form.field('given')} />
            <TextInput label={t('admin.inviteFamily')} autoComplete="off" {...form.field('family')} />
            <TextInput label={t('admin.inviteBirthDate')} type="date" {...form.field('birthDate')} />
          </SimpleGrid>
          <Button type="submit" mt="md" loading={form.submitting} disabled={!organizationId}>
            {t('admin.inviteSubmit')}
          </Button>
        </form>
      </Stack>
    </Panel>
  );
}
