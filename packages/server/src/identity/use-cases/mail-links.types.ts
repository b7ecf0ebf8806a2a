import { z } from 'zod';
import { ROLES } from '../principal.js';

/** Bodies shared with the web app's forms. */
export { ZForgotBody, ZResetBody, ZInvitationBody, type TInvitationBody } from '@careline/contracts';
export const ZTokenBody = z.object({ token: z.string().max(100) });
export const ZInvitationCreated = z.object({ id: z.string(), expiresAt: z.string() });
export const ZInvitationView = z.object({
  email: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string(),
  organizationName: z.string().nullable(),
  expiresAt: z.string(),
});
export const ZAccepted = z.object({ id: z.string(), email: z.string(), fhirUser: z.string().nullable() });
