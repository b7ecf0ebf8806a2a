import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../i18n/format';
import type { MessageKey } from '../../../i18n/keys';
import type { JoinErrorKind, JoinErrorView } from '../logic/join-error';

const TEXT: Record<JoinErrorKind | 'no-token', readonly [MessageKey, MessageKey]> = {
  'not-found': ['visit.errors.notFoundTitle', 'visit.errors.notFound'],
  expired: ['visit.errors.expiredTitle', 'visit.errors.expired'],
  cancelled: ['visit.errors.cancelledTitle', 'visit.errors.cancelled'],
  'too-early': ['visit.errors.tooEarlyTitle', 'visit.errors.tooEarly'],
  'rate-limited': ['visit.errors.rateLimitedTitle', 'visit.errors.rateLimitedSoon'],
  forbidden: ['visit.errors.forbiddenTitle', 'visit.errors.forbidden'],
  network: ['visit.errors.networkTitle', 'visit.errors.network'],
  unknown: ['visit.errors.unknownTitle', 'visit.errors.unknown'],
  'no-token': ['visit.errors.noTokenTitle', 'visit.errors.noToken'],
};

/** A join failure as a page of its own: what happened, and what to do next (WCAG 3.3.3). */
export function JoinErrorPage({ error, onRetry, portalLink }: { readonly error: JoinErrorView | { readonly kind: 'no-token' }; readonly onRetry?: () => void; readonly portalLink?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [title, body] = TEXT[error.kind];
  const retryable = error.kind === 'network' || error.kind === 'unknown' || error.kind === 'rate-limited' || error.kind === 'too-early';
  const detail =
    'opensAt' in error && error.opensAt
      ? t('visit.errors.tooEarlyAt', { time: format.dateTime(error.opensAt) })
      : 'retryAfterSeconds' in error && error.retryAfterSeconds !== undefined
        ? t('visit.errors.rateLimited', { seconds: error.retryAfterSeconds })
        : undefined;
  return (
    <Stack gap="md" data-testid="visit-join-error" data-kind={error.kind}>
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
        {t(title)}
      </Title>
      <Alert color={error.kind === 'cancelled' || error.kind === 'expired' ? 'orange' : 'red'} variant="light" role="alert">
        <Text>{t(body)}</Text>
        {detail ? <Text mt="xs">{detail}</Text> : null}
      </Alert>
      <Group>
        {retryable && onRetry ? (
          <Button size="md" onClick={onRetry}>
            {t('visit.errors.tryAgain')}
          </Button>
        ) : null}
        {portalLink ? (
          <Button size="md" variant="default" component={Link} to="/portal">
            {t('visit.errors.portal')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
