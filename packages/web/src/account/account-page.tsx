import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitcher } from '../app/language-switcher';
import { useMe } from '../auth/session';
import { Page } from '../ui/page';

export default function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  return (
    <Page title={t('account.title')}>
      <Table variant="vertical" withTableBorder maw={560}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('account.email')}</Table.Th>
            <Table.Td>{me.data.email}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('account.roles')}</Table.Th>
            <Table.Td>
              <Group gap={4}>
                {me.data.roles.map((r) => (
                  <Badge key={r} variant="outline" color="dark.6">
                    {t(`roles.${r}`)}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('account.mfa')}</Table.Th>
            <Table.Td>
              {me.data.mfaEnabled ? (
                t('account.mfaOn')
              ) : (
                <Anchor component={Link} to="/mfa/enrol">
                  {t('account.mfaOff')} — {t('mfa.enrolTitle')}
                </Anchor>
              )}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap={4} maw={240}>
        <LanguageSwitcher />
        <Text size="sm">{t('account.languageHelp')}</Text>
      </Stack>
    </Page>
  );
}
