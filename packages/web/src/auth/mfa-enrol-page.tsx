import { Anchor, Button, Code, CopyButton, Image, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { totpConfirm, totpSetup } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { hasBearerToken, setBearerToken } from '../api/http';
import { ZTotpConfirmForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { ErrorAlert, Page } from '../ui/page';
import { ME_KEY, useMe } from './session';

/** TOTP enrolment (RFC 6238): QR code, confirmation with a first code, recovery codes shown once. */
export default function MfaEnrolPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const allowed = hasBearerToken() || Boolean(me.data);
  const setup = useQuery({
    queryKey: ['mfa', 'setup'],
    queryFn: async () => {
      const s = await totpSetup();
      return { ...s, qr: await QRCode.toDataURL(s.otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
    },
    enabled: allowed,
    retry: false,
    staleTime: Infinity,
    gcTime: 0,
  });
  const form = useZodForm(ZTotpConfirmForm, { otp: '' });
  const confirm = useMutation({ mutationFn: totpConfirm });
  const [copied, setCopied] = useState(false);

  if (!allowed) {
    return (
      <Page title={t('mfa.enrolTitle')}>
        <Text>{t('mfa.noEnrolment')}</Text>
        <Anchor component={Link} to="/signin">
          {t('signIn.submit')}
        </Anchor>
      </Page>
    );
  }

  if (confirm.data) {
    const codes = confirm.data.recoveryCodes;
    return (
      <Page title={t('mfa.recoveryTitle')}>
        <Text>{t('mfa.recoveryIntro')}</Text>
        <Title order={2} fz="h4">
          {t('mfa.recoveryList')}
        </Title>
        <List aria-label={t('mfa.recoveryList')} data-testid="recovery-codes" ff="monospace" spacing={4}>
          {codes.map((c) => (
            <List.Item key={c}>{c}</List.Item>
          ))}
        </List>
        <CopyButton value={codes.join('\n')}>
          {({ copy }) => (
            <Button
              variant="default"
              onClick={() => {
                copy();
                setCopied(true);
              }}
            >
              {copied ? t('mfa.copied') : t('mfa.copy')}
            </Button>
          )}
        </CopyButton>
        <Button
          onClick={() => {
            // Enrolment during sign-in ends with a fresh sign-in using a code; from the account page, back there.
            const duringSignIn = hasBearerToken();
            setBearerToken(undefined);
            void queryClient.invalidateQueries({ queryKey: ME_KEY });
            void navigate(duringSignIn ? '/signin' : '/account', { replace: true });
          }}
        >
          {t('mfa.done')}
        </Button>
      </Page>
    );
  }

  return (
    <Page title={t('mfa.enrolTitle')}>
      <Text>{t('mfa.enrolIntro')}</Text>
      <ErrorAlert message={setup.error ? errorMessage(t, setup.error) : confirm.error ? errorMessage(t, confirm.error) : undefined} />
      {setup.data && (
        <Stack gap="xs" align="flex-start">
          <Image src={setup.data.qr} alt={t('mfa.qrAlt')} w={240} h={240} />
          <Text>{t('mfa.manualKey')}</Text>
          <Code data-testid="totp-secret" fz="md">
            {setup.data.secret}
          </Code>
        </Stack>
      )}
      <form noValidate onSubmit={form.onSubmit(async ({ otp }) => {
          await confirm.mutateAsync(otp).catch(() => undefined);
        })}>
        <Stack>
          <TextInput label={t('mfa.code')} autoComplete="one-time-code" inputMode="numeric" required {...form.field('otp')} />
          <Button type="submit" loading={confirm.isPending} disabled={!setup.data}>
            {t('mfa.confirm')}
          </Button>
        </Stack>
      </form>
    </Page>
  );
}
