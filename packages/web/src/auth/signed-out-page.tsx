import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Page } from '../ui/page';

export default function SignedOutPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <Page title={t('signIn.signedOutTitle')}>
      <Text>{params.get('reason') === 'idle' ? t('signIn.signedOutIdle') : t('signIn.signedOutManual')}</Text>
      <Button component={Link} to="/signin">
        {t('signIn.signInAgain')}
      </Button>
    </Page>
  );
}
