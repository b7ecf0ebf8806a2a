import { z } from 'zod';
import { ZEmail } from '../credentials/email.js';
import { PASSWORD_MAX } from '../credentials/password-policy.js';
import { ROLES } from '../principal.js';

export const ZForgotBody = z.object({ email: z.string().max(254) });
export const ZTokenBody = z.object({ token: z.string().max(100) });
export const ZResetBody = z.object({ token: z.string().max(100), password: z.string().max(PASSWORD_MAX * 4) });
export const ZInvitationBody = z.object({
  email: ZEmail,
  role: z.enum(ROLES),
  organizationId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  given: z.string().trim().min(1).max(100).optional(),
  family: z.string().trim().min(1).max(100).optional(),
  birthDate: z.iso.date().optional(),
});
export type TInvitationBody = z.infer<typeof ZInvitationBody>;
export const ZInvitationCreated = z.object({ id: z.string(), expiresAt: z.string() });
export const ZInvitationView = z.object({
  email: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string(),
  organizationName: z.string().nullable(),
  expiresAt: z.string(),
});
export const ZAccepted = z.object({ id: z.string(), email: z.string(), fhirUser: z.string().nullable() });
