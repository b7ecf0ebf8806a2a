import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ENROLMENT_HEADER, login } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ApiError, setBearerToken } from '../api/http';
import { ZOtpForm, ZSignInForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { ErrorAlert, Page } from '../ui/page';
import { ME_KEY } from './session';

export default function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const credentials = useZodForm(ZSignInForm, { email: '', password: '' });
  const otpForm = useZodForm(ZOtpForm, { otp: '' });
  const [step, setStep] = useState<'credentials' | 'otp'>('credentials');
  const [error, setError] = useState<string>();
  const from = (location.state as { from?: string } | null)?.from;

  const attempt = async (otp?: string) => {
    setError(undefined);
    try {
      await login({ email: credentials.values.email.trim(), password: credentials.values.password, ...(otp ? { otp } : {}) });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      await navigate(from ?? '/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa-required') {
        setStep('otp');
        return;
      }
      if (err instanceof ApiError && err.code === 'mfa-enrolment-required') {
        const token = err.headers?.get(ENROLMENT_HEADER);
        if (token) {
          setBearerToken(token);
          await navigate('/mfa/enrol');
          return;
        }
      }
      setError(errorMessage(t, err));
    }
  };

  if (step === 'otp') {
    return (
      <Page title={t('signIn.otpTitle')}>
        <Text>{t('signIn.otpHelp')}</Text>
        <ErrorAlert message={error} />
        <form noValidate onSubmit={otpForm.onSubmit(async ({ otp }) => attempt(otp))}>
          <Stack>
            <TextInput label={t('signIn.otp')} autoComplete="one-time-code" inputMode="text" required {...otpForm.field('otp')} autoFocus />
            <Button type="submit" loading={otpForm.submitting}>
              {t('signIn.verify')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setStep('credentials');
                setError(undefined);
                otpForm.setValues({ otp: '' });
              }}
            >
              {t('signIn.startOver')}
            </Button>
          </Stack>
        </form>
      </Page>
    );
  }

  return (
    <Page title={t('signIn.title')}>
      <ErrorAlert message={error} />
      <form noValidate onSubmit={credentials.onSubmit(async () => attempt())}>
        <Stack>
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" required {...credentials.field('email')} />
          <PasswordInput label={t('signIn.password')} autoComplete="current-password" required {...credentials.field('password')} />
          <Button type="submit" loading={credentials.submitting}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
      <Text>
        <Anchor component={Link} to="/forgot-password">
          {t('signIn.forgot')}
        </Anchor>
      </Text>
    </Page>
  );
}
