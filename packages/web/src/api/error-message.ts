import type { TFunction } from 'i18next';
import { ApiError } from './http';

/** A message for the user, in their language, for any error an API call threw. */
export function errorMessage(t: TFunction, err: unknown): string {
  if (!(err instanceof ApiError)) return t('app.unexpectedError');
  switch (err.code) {
    case 'login-failed':
      return t('errors.loginFailed');
    case 'mfa-failed':
      return t('errors.mfaFailed');
    case 'too-many-failed-logins':
      return t('errors.tooManyFailed', { minutes: Math.max(1, Math.ceil((err.retryAfterSeconds ?? 3600) / 60)) });
    case 'rate-limited':
      return t('errors.rateLimited', { seconds: err.retryAfterSeconds ?? 60 });
    case 'link-invalid':
      return t('errors.linkInvalid');
    case 'password-rejected':
      return t('errors.passwordRejected', { reason: err.diagnostics ?? '' });
    case 'conflict':
      return t('errors.conflict');
    case 'csrf-failed':
      return t('errors.csrf');
    case 'network':
      return t('errors.network');
    case 'not-found':
    case 'method-not-allowed':
      return t('errors.unavailable');
    default:
      return t('errors.generic', { code: err.code });
  }
}
