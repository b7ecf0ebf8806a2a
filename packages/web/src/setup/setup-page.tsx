import { Anchor, Button, Code, Divider, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { loadDemoClinic, ROLES, runSetup, type TDemoClinic, type TRole } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { Loading } from '../app/loading';
import { useSetupNeeded } from '../auth/session';
import { NewPasswordFields } from '../auth/new-password-fields';
import { ZSetupForm } from '../forms/schemas';
import { useZodForm } from '../forms/use-zod-form';
import { ErrorAlert, Page, SuccessAlert } from '../ui/page';

/** First run: creates the clinic and its first administrator (who then enrols TOTP at sign-in). */
export default function SetupPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const needed = useSetupNeeded();
  const form = useZodForm(ZSetupForm, { clinicName: '', given: '', family: '', email: '', password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const demo = useMutation({
    mutationFn: loadDemoClinic,
    onSuccess: () => queryClient.setQueryData(['setup', 'status'], false),
  });
  if (needed.isPending) return <Loading />;
  if (demo.data) return <DemoReady demo={demo.data} />;
  if (done || needed.data === false) {
    return (
      <Page title={t('setup.title')}>
        <SuccessAlert>{done ? t('setup.done') : t('setup.alreadyDone')}</SuccessAlert>
        <Anchor component={Link} to="/signin">
          {t('signIn.submit')}
        </Anchor>
      </Page>
    );
  }
  return (
    <Page title={t('setup.title')}>
      <Text>{t('setup.intro')}</Text>
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={form.onSubmit(async ({ clinicName, given, family, email, password }) => {
          setError(undefined);
          try {
            await runSetup({ clinicName, given, family, email, password });
            setDone(true);
            queryClient.setQueryData(['setup', 'status'], false);
          } catch (err) {
            setError(errorMessage(t, err));
          }
        })}
      >
        <Stack>
          <TextInput label={t('setup.clinicName')} autoComplete="organization" required {...form.field('clinicName')} />
          <TextInput label={t('setup.given')} autoComplete="given-name" required {...form.field('given')} />
          <TextInput label={t('setup.family')} autoComplete="family-name" required {...form.field('family')} />
          <TextInput label={t('setup.email')} type="email" autoComplete="email" required {...form.field('email')} />
          <NewPasswordFields password={form.field('password')} confirm={form.field('confirm')} labels={{ password: t('setup.password'), confirm: t('setup.confirm') }} />
          <Button type="submit" loading={form.submitting}>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
      <Divider my="sm" />
      <Title order={2} fz="h3">
        {t('setup.demoTitle')}
      </Title>
      <Text>{t('setup.demoIntro')}</Text>
      <ErrorAlert message={demo.error ? errorMessage(t, demo.error) : undefined} />
      <Button variant="default" loading={demo.isPending} onClick={() => demo.mutate()} maw={360}>
        {t('setup.demoButton')}
      </Button>
      {demo.isPending && <Text role="status">{t('setup.demoLoading')}</Text>}
    </Page>
  );
}

/** The demo clinic's accounts and their one password, shown once. */
function DemoReady({ demo }: { readonly demo: TDemoClinic }) {
  const { t } = useTranslation();
  return (
    <Page title={t('setup.title')}>
      <SuccessAlert>{t('setup.demoDone', { patients: demo.patients })}</SuccessAlert>
      <Text>
        {t('setup.demoPassword')}: <Code data-testid="demo-password">{demo.password}</Code>
      </Text>
      <Title order={2} fz="h4">
        {t('setup.demoAccounts')}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table data-testid="demo-accounts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('setup.demoEmail')}</Table.Th>
              <Table.Th scope="col">{t('setup.demoRole')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {demo.accounts.map((a) => (
              <Table.Tr key={a.email}>
                <Table.Td>{a.email}</Table.Td>
                <Table.Td>{isRole(a.role) ? t(`roles.${a.role}`) : a.role}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Anchor component={Link} to="/signin">
        {t('signIn.submit')}
      </Anchor>
    </Page>
  );
}

function isRole(role: string): role is TRole {
  return (ROLES as readonly string[]).includes(role);
}
