import { z } from 'zod';
import { ROLES } from '../principal.js';

export const ZRole = z.enum(ROLES);

/** GET /auth/me, and each user in the admin list. */
export const ZAccountView = z.object({
  id: z.string(),
  email: z.string(),
  status: z.enum(['active', 'disabled']),
  roles: z.array(ZRole),
  organizations: z.array(z.object({ organizationId: z.string(), role: ZRole })),
  fhirUser: z.string().nullable(),
  mfaEnabled: z.boolean(),
  emailVerified: z.boolean(),
  /** The language the user chose ('en' | 'es'), or null. */
  locale: z.string().nullable(),
  csrfToken: z.string().optional(),
});
export type TAccountView = z.infer<typeof ZAccountView>;

/** PUT /auth/me/preferences */
export const ZPreferencesBody = z.object({ locale: z.enum(['en', 'es']) }).strict();
