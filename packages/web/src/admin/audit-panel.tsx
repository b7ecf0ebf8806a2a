import { Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Panel } from '../ui/panel';

/** The audit report's filters and export, laid out; the data arrives with the audit capability. */
export function AuditPanel() {
  const { t } = useTranslation();
  return (
    <Panel title={t('admin.audit')} testId="panel-audit">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput type="date" label={t('admin.auditFrom')} disabled />
        <TextInput type="date" label={t('admin.auditTo')} disabled />
        <NativeSelect
          label={t('admin.auditAction')}
          disabled
          data={[
            { value: '', label: t('admin.auditAny') },
            { value: 'read', label: t('admin.auditRead') },
            { value: 'write', label: t('admin.auditWrite') },
            { value: 'login', label: t('admin.auditLogin') },
          ]}
        />
        <Button variant="default" disabled>
          {t('admin.auditExport')}
        </Button>
      </Group>
      <Text c="dimmed" mt="sm">
        {t('admin.auditPending')}
      </Text>
    </Panel>
  );
}
