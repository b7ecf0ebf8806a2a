/**
 * Form schemas for the identity screens, built from the server's own request contracts in
 * @careline/contracts (the same email, length and role rules). The form adds only what a form needs:
 * a password confirmation and empty strings for optional fields. The server also refuses common
 * passwords (422 password-rejected), which no form can know. Messages are mapped to i18n keys by
 * `formErrorKey` where they are shown.
 */
import { ZEmail, ZInvitationBody, ZLoginBody, ZNewPassword, ZRole, ZSetupBody } from '@careline/contracts';
import { z } from 'zod';

const samePasswords = (v: { password: string; confirm: string }) => v.password === v.confirm;
const mismatch = { message: 'validation.passwordMatch', path: ['confirm'] };
const optionalText = (max: number) => z.string().trim().max(max);
/** The contract's email rule, with "required" for an empty field rather than "not an email". */
const email = z.string().trim().min(1, 'validation.required').pipe(ZEmail);

export const ZSignInForm = z.object({ email, password: ZLoginBody.shape.password });
/** A 6-digit TOTP code or a recovery code (xxxx-xxxx-xxxx), as the server accepts at sign-in. */
export const ZOtpForm = z.object({ otp: z.string().trim().regex(/^(\d{6}|[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})$/, 'validation.otp') });
export const ZTotpConfirmForm = z.object({ otp: z.string().trim().regex(/^\d{6}$/, 'validation.otpDigits') });
export const ZForgotForm = z.object({ email });
export const ZResetForm = z.object({ password: ZNewPassword, confirm: z.string() }).refine(samePasswords, mismatch);
export const ZInvitationForm = ZResetForm;
export const ZSetupForm = ZSetupBody.extend({ email, password: ZNewPassword, confirm: z.string() }).refine(samePasswords, mismatch);
const invitation = ZInvitationBody.shape;
export const ZInviteForm = z.object({
  email: email.pipe(invitation.email),
  role: ZRole,
  given: optionalText(100),
  family: optionalText(100),
  birthDate: z.union([z.literal(''), z.iso.date('validation.date')]),
});
