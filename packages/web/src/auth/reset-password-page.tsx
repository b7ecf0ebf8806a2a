import { Anchor, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { resetPassword } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ZResetForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';
import { takeLinkToken } from './link-token';
import { NewPasswordFields } from './new-password-fields';

export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(takeLinkToken);
  const form = useZodForm(ZResetForm, { password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  if (!token) {
    return (
      <Page title={t('reset.title')}>
        <ErrorAlert message={t('reset.missingToken')} />
      </Page>
    );
  }
  return (
    <Page title={t('reset.title')}>
      {done ? (
        <>
          <SuccessAlert>{t('reset.done')}</SuccessAlert>
          <Anchor component={Link} to="/signin">
            {t('signIn.submit')}
          </Anchor>
        </>
      ) : (
        <>
          <ErrorAlert message={error} />
          <form
            noValidate
            onSubmit={form.onSubmit(async ({ password }) => {
              setError(undefined);
              try {
                await resetPassword(token, password);
                setDone(true);
              } catch (err) {
                setError(errorMessage(t, err));
              }
            })}
          >
            <Stack>
              <NewPasswordFields password={form.field('password')} confirm={form.field('confirm')} labels={{ password: t('reset.password'), confirm: t('reset.confirm') }} />
              <Button type="submit" loading={form.submitting}>
                {t('reset.submit')}
              </Button>
            </Stack>
          </form>
        </>
      )}
    </Page>
  );
}
