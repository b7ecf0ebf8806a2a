import { Badge, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accessLog, type TAccessLogEntry } from '../api/audit-api';
import { errorMessage } from '../api/error-message';
import { kindLabel, roleLabel } from '../audit/labels';
import { useMe } from '../auth/session';
import { useFormat } from '../i18n/format';
import { ErrorAlert, Page } from '../ui/page';

/** "Who accessed my record": the patient's accounting of accesses (GET /api/me/access-log), newest first. */
export default function AccessLogPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const log = useInfiniteQuery({
    queryKey: ['me', 'access-log'],
    queryFn: ({ pageParam, signal }) => accessLog(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  const who = (e: TAccessLogEntry): string => {
    if (me.data && e.agent === `User/${me.data.id}`) return t('accessLog.you');
    if (e.agent?.startsWith('system:')) return t('accessLog.system');
    const role = roleLabel(t, e.role);
    return role ? t('accessLog.asRole', { role }) : t('accessLog.someone');
  };

  return (
    <Page title={t('accessLog.title')}>
      <Text>{t('accessLog.intro')}</Text>
      <ErrorAlert message={log.isError ? errorMessage(t, log.error) : undefined} />
      {log.isPending && <Skeleton height={64} aria-hidden />}
      {log.isSuccess && items.length === 0 && <Text c="dimmed">{t('accessLog.empty')}</Text>}
      {items.length > 0 && (
        <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} data-testid="access-log" aria-label={t('accessLog.title')}>
          {items.map((e, i) => (
            <Paper component="li" key={`${e.recorded}-${String(i)}`} withBorder p="sm" data-kind={e.kind} data-role={e.role ?? ''}>
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text fw={700}>{who(e)}</Text>
                <Badge variant="filled" color={e.outcome === 'success' ? 'brand.8' : 'red.9'}>
                  {e.outcome === 'success' ? t('accessLog.success') : t('accessLog.failure')}
                </Badge>
              </Group>
              <Text>
                {kindLabel(t, e.kind)} · <time dateTime={e.recorded}>{format.dateTime(e.recorded)}</time>
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {log.hasNextPage && (
        <Group>
          <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            {t('accessLog.more')}
          </Button>
        </Group>
      )}
    </Page>
  );
}
