import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Panel } from '../ui/panel';

/** The admin home's door to the audit report (its own screen: filters, sort, paging, CSV). */
export function AuditPanel() {
  const { t } = useTranslation();
  return (
    <Panel title={t('admin.audit')} testId="panel-audit">
      <Text mb="sm">{t('admin.auditIntro')}</Text>
      <Button component={Link} to="/admin/audit" variant="light">
        {t('admin.auditOpen')}
      </Button>
    </Panel>
  );
}
