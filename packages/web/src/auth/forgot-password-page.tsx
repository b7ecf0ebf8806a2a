import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { forgotPassword } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ZForgotForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useZodForm(ZForgotForm, { email: '' });
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Page title={t('forgot.title')}>
      {sent ? (
        <SuccessAlert>{t('forgot.sent')}</SuccessAlert>
      ) : (
        <>
          <Text>{t('forgot.intro')}</Text>
          <ErrorAlert message={error} />
          <form
            noValidate
            onSubmit={form.onSubmit(async ({ email }) => {
              setError(undefined);
              try {
                await forgotPassword(email);
                setSent(true);
              } catch (err) {
                setError(errorMessage(t, err));
              }
            })}
          >
            <Stack>
              <TextInput label={t('signIn.email')} type="email" autoComplete="email" required {...form.field('email')} />
              <Button type="submit" loading={form.submitting}>
                {t('forgot.submit')}
              </Button>
            </Stack>
          </form>
        </>
      )}
      <Anchor component={Link} to="/signin">
        {t('forgot.backToSignIn')}
      </Anchor>
    </Page>
  );
}
