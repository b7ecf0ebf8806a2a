import { Alert, Button, CopyButton, Group, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/error-message';
import { inviteGuest, listGuests, revokeGuest, type TGuestCreated } from '../../../api/visit-api';
import { useFormat } from '../../../i18n/format';
import type { MessageKey } from '../../../i18n/keys';
import { ErrorAlert } from '../../../ui/page';
import { Panel } from '../../../ui/panel';

const ROLES: readonly MessageKey[] = ['visit.guests.roleInterpreter', 'visit.guests.roleFamily', 'visit.guests.roleClinician', 'visit.guests.roleOther'];

/**
 * For the host: invite a guest (interpreter, family member, second clinician) with their own
 * expiring link, shown once with a copy button; the list of invited guests with revoke.
 */
export function GuestPanel({ appointmentId }: { readonly appointmentId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const key = ['visits', appointmentId, 'guests'] as const;
  const guests = useQuery({ queryKey: key, queryFn: ({ signal }) => listGuests(appointmentId, signal), retry: false });
  const [name, setName] = useState('');
  const [role, setRole] = useState<MessageKey>('visit.guests.roleInterpreter');
  const [created, setCreated] = useState<TGuestCreated>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const invite = async () => {
    setError(undefined);
    setBusy(true);
    try {
      // The role is stored as the words the inviting clinician chose (free text in the contract).
      setCreated(await inviteGuest(appointmentId, { displayName: name.trim(), role: t(role) }));
      setName('');
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    setError(undefined);
    try {
      await revokeGuest(appointmentId, id);
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };

  return (
    <Panel title={t('visit.guests.title')} testId="visit-guests">
      <Stack gap="sm">
        <ErrorAlert message={error} />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void invite();
          }}
        >
          <Stack gap="xs">
            <TextInput size="md" label={t('visit.guests.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} required />
            <NativeSelect size="md" label={t('visit.guests.role')} data={ROLES.map((r) => ({ value: r, label: t(r) }))} value={role} onChange={(e) => setRole(e.currentTarget.value as MessageKey)} />
            <Button type="submit" size="md" loading={busy}>
              {t('visit.guests.invite')}
            </Button>
          </Stack>
        </form>
        {created ? (
          <Alert color="brand" variant="light" role="status" data-testid="visit-guest-link">
            <Text>{t('visit.guests.linkOnce', { name: created.displayName })}</Text>
            <TextInput readOnly label={t('visit.guests.link')} value={created.url} onFocus={(e) => e.currentTarget.select()} mt="xs" />
            <CopyButton value={created.url}>
              {({ copied, copy }) => (
                <Button size="sm" mt="xs" variant={copied ? 'filled' : 'default'} onClick={copy}>
                  {copied ? t('visit.guests.copied') : t('visit.guests.copy')}
                </Button>
              )}
            </CopyButton>
          </Alert>
        ) : null}
        {guests.data && guests.data.length > 0 ? (
          <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
            {guests.data.map((g) => (
              <Paper component="li" key={g.id} withBorder p="xs">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div>
                    <Text fw={500}>{g.displayName}</Text>
                    <Text size="sm" c="dimmed">
                      {[g.role, g.revoked ? t('visit.guests.revoked') : g.validUntil ? t('visit.guests.validUntil', { time: format.dateTime(g.validUntil) }) : undefined].filter(Boolean).join(' · ')}
                    </Text>
                  </div>
                  {!g.revoked ? (
                    <Button size="sm" variant="default" color="red" onClick={() => void revoke(g.id)} aria-label={t('visit.guests.revokeNamed', { name: g.displayName })}>
                      {t('visit.guests.revoke')}
                    </Button>
                  ) : null}
                </Group>
              </Paper>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t('visit.guests.none')}
          </Text>
        )}
      </Stack>
    </Panel>
  );
}
