import type { z } from 'zod';
import type { MessageKey } from '../i18n/keys';

/**
 * The i18n key shown for a validation issue. Contract schemas (shared with the server) carry English
 * messages for API callers; forms show the user's language instead, chosen from what went wrong.
 * Form-only schemas may carry a key as their message, which wins.
 */
export function formErrorKey(issue: Pick<z.core.$ZodIssue, 'code' | 'message' | 'path'> & { readonly format?: string; readonly minimum?: unknown }): MessageKey {
  if (issue.message.startsWith('validation.')) return issue.message as MessageKey;
  // Empty comes first: an empty password at sign-in is "required", not "too short".
  if (issue.code === 'too_small' && Number(issue.minimum) <= 1) return 'validation.required';
  const field = issue.path[0];
  if (field === 'password' && issue.code !== 'invalid_type') return 'validation.passwordLength';
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'validation.email';
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'validation.date';
  if (issue.code === 'too_big') return 'validation.tooLong';
  return 'validation.invalid';
}
