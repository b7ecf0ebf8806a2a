import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { acceptInvitation, getInvitation } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ZInvitationForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { useFormat } from '../i18n/format';
import { Loading } from '../app/loading';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';
import { takeLinkToken } from './link-token';
import { NewPasswordFields } from './new-password-fields';

export default function InvitationPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [token] = useState(takeLinkToken);
  const invitation = useQuery({ queryKey: ['invitation', token], queryFn: () => getInvitation(token ?? ''), enabled: Boolean(token), retry: false });
  const form = useZodForm(ZInvitationForm, { password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();

  if (!token) {
    return (
      <Page title={t('invitation.title')}>
        <ErrorAlert message={t('reset.missingToken')} />
      </Page>
    );
  }
  if (invitation.isPending) return <Loading />;
  if (invitation.isError) {
    return (
      <Page title={t('invitation.title')}>
        <ErrorAlert message={errorMessage(t, invitation.error)} />
      </Page>
    );
  }
  const inv = invitation.data;
  return (
    <Page title={t('invitation.title')}>
      {done ? (
        <>
          <SuccessAlert>{t('invitation.done')}</SuccessAlert>
          <Anchor component={Link} to="/signin">
            {t('signIn.submit')}
          </Anchor>
        </>
      ) : (
        <>
          <Text>{t('invitation.intro', { organization: inv.organizationName ?? t('invitation.someClinic'), role: t(`roles.${inv.role}`) })}</Text>
          <Text>{t('invitation.expires', { date: format.dateTime(inv.expiresAt) })}</Text>
          <ErrorAlert message={error} />
          <form
            noValidate
            onSubmit={form.onSubmit(async ({ password }) => {
              setError(undefined);
              try {
                await acceptInvitation(token, password);
                setDone(true);
              } catch (err) {
                setError(errorMessage(t, err));
              }
            })}
          >
            <Stack>
              <TextInput label={t('invitation.email')} value={inv.email} readOnly autoComplete="username" />
              <NewPasswordFields password={form.field('password')} confirm={form.field('confirm')} labels={{ password: t('invitation.password'), confirm: t('invitation.confirm') }} />
              <Button type="submit" loading={form.submitting}>
                {t('invitation.submit')}
              </Button>
            </Stack>
          </form>
        </>
      )}
    </Page>
  );
}
