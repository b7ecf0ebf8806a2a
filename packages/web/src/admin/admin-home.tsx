import { SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { Page } from '../ui/page';
import { AuditPanel } from './audit-panel';
import { OrganizationsPanel } from './organizations-panel';
import { UsersPanel } from './users-panel';

/** The clinic administrator's home: users and invitations, organizations, audit report. */
export default function AdminHome() {
  const { t } = useTranslation();
  const me = useMe();
  const orgs = (me.data?.organizations ?? []).filter((o) => o.role === 'admin').map((o) => o.organizationId);
  return (
    <Page title={t('admin.title')}>
      <UsersPanel organizationIds={orgs} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <OrganizationsPanel organizationIds={orgs} />
        <AuditPanel />
      </SimpleGrid>
    </Page>
  );
}
