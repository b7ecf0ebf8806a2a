import { z } from 'zod';

/** POST /auth/password/change: a signed-in user replaces their password (OWASP ASVS V2.1.5, V2.1.6). */
export const ZChangePasswordBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(1).max(1024),
  })
  .strict();
export type TChangePasswordBody = z.infer<typeof ZChangePasswordBody>;
