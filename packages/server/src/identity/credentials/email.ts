import { z } from 'zod';

/**
 * Emails are account names: compared and stored trimmed and lower-cased, so `Ann@Clinic.org` and
 * `ann@clinic.org ` are one account. Length per RFC 5321 §4.5.3.1.3 (254 in practice).
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export const ZEmail = z
  .string()
  .max(254)
  .transform(normaliseEmail)
  .pipe(z.email({ message: 'expected an email address' }));
