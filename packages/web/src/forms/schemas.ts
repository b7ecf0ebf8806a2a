/**
 * Form schemas for the identity screens, following the server's rules in docs/API.md (passwords 8 to
 * 128 characters; the server also refuses common passwords and answers 422 password-rejected).
 * Messages are i18n keys, translated where they are shown.
 */
import { z } from 'zod';
import { ROLES } from '../api/auth-api';

const email = z.string().trim().min(1, 'validation.required').pipe(z.email('validation.email'));
const password = z.string().min(8, 'validation.passwordLength').max(128, 'validation.passwordLength');
const required = z.string().trim().min(1, 'validation.required');

const samePasswords = (v: { password: string; confirm: string }) => v.password === v.confirm;
const mismatch = { message: 'validation.passwordMatch', path: ['confirm'] };

export const ZSignInForm = z.object({ email, password: z.string().min(1, 'validation.required') });
export const ZOtpForm = z.object({ otp: z.string().trim().regex(/^(\d{6}|[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})$/, 'validation.otp') });
export const ZTotpConfirmForm = z.object({ otp: z.string().trim().regex(/^\d{6}$/, 'validation.otpDigits') });
export const ZForgotForm = z.object({ email });
export const ZResetForm = z.object({ password, confirm: z.string() }).refine(samePasswords, mismatch);
export const ZInvitationForm = ZResetForm;
export const ZSetupForm = z
  .object({ clinicName: required, given: required, family: required, email, password, confirm: z.string() })
  .refine(samePasswords, mismatch);
export const ZInviteForm = z.object({
  email,
  role: z.enum(ROLES),
  given: z.string().trim(),
  family: z.string().trim(),
  birthDate: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')]),
});
