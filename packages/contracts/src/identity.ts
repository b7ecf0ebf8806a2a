import { z } from 'zod';

/**
 * Identity request bodies (docs/API.md), shared by the server's routes and the web app's forms so both
 * apply the same rules. The server adds what only it can check (common passwords → 422
 * password-rejected); the web adds form-only fields (password confirmation) on top of these.
 */

export const ROLES = ['patient', 'caregiver', 'clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin'] as const;
export const ZRole = z.enum(ROLES);

/** Password length (OWASP ASVS V2.1.1/V2.1.2: at least 8, at most 128 characters). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Length in Unicode code points after NFC, as the server's password policy counts it. */
export function passwordLength(password: string): number {
  return Array.from(password.normalize('NFC')).length;
}

/** A new password whose length the policy accepts; bodies take longer input so the server can answer 422 with the reason. */
export const ZNewPassword = z.string().refine((p) => passwordLength(p) >= PASSWORD_MIN && passwordLength(p) <= PASSWORD_MAX, {
  message: `use ${String(PASSWORD_MIN)} to ${String(PASSWORD_MAX)} characters`,
});
/** On the wire: length-capped so junk never reaches argon2. */
const ZPasswordInput = z.string().max(PASSWORD_MAX * 4);

/**
 * Emails are account names: compared and stored trimmed and lower-cased, so `Ann@Clinic.org` and
 * `ann@clinic.org ` are one account. Length per RFC 5321 §4.5.3.1.3 (254 in practice).
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export const ZEmail = z.string().max(254).transform(normaliseEmail).pipe(z.email({ message: 'expected an email address' }));

const ZPersonName = z.string().trim().min(1).max(100);

/** POST /auth/login */
export const ZLoginBody = z.object({
  email: ZEmail,
  password: ZPasswordInput.min(1),
  otp: z.string().trim().max(32).optional(),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

/** POST /api/setup (first run: the clinic and its first admin). */
export const ZSetupBody = z.object({
  clinicName: z.string().trim().min(1).max(200),
  email: ZEmail,
  password: ZPasswordInput,
  given: ZPersonName,
  family: ZPersonName,
});
export type TSetupBody = z.infer<typeof ZSetupBody>;

/** POST /auth/password/forgot */
export const ZForgotBody = z.object({ email: z.string().max(254) });
/** POST /auth/password/reset, /auth/invitations/accept */
export const ZResetBody = z.object({ token: z.string().max(100), password: ZPasswordInput });

/** POST /api/admin/invitations */
export const ZInvitationBody = z.object({
  email: ZEmail,
  role: ZRole,
  organizationId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  given: ZPersonName.optional(),
  family: ZPersonName.optional(),
  birthDate: z.iso.date().optional(),
});
export type TInvitationBody = z.infer<typeof ZInvitationBody>;
