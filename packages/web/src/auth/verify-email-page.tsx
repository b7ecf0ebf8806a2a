import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { verifyEmail } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';
import { takeLinkToken } from './link-token';

export default function VerifyEmailPage() {
  const { t } = useTranslation();
  const [token] = useState(takeLinkToken);
  const result = useQuery({
    queryKey: ['verify-email', token],
    queryFn: async () => {
      await verifyEmail(token ?? '');
      return true;
    },
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
  });
  return (
    <Page title={t('verifyEmail.title')}>
      {!token && <ErrorAlert message={t('reset.missingToken')} />}
      {token && result.isPending && <Text role="status">{t('verifyEmail.working')}</Text>}
      {result.isError && <ErrorAlert message={errorMessage(t, result.error)} />}
      {result.isSuccess && <SuccessAlert>{t('verifyEmail.done')}</SuccessAlert>}
      <Anchor component={Link} to="/">
        {t('app.backHome')}
      </Anchor>
    </Page>
  );
}
