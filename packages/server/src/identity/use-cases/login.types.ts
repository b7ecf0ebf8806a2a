import { z } from 'zod';
import { ZEmail } from '../credentials/email.js';
import { PASSWORD_MAX } from '../credentials/password-policy.js';

/** POST /auth/login (docs/API.md). Length caps keep junk from reaching argon2. */
export const ZLoginBody = z.object({
  email: ZEmail,
  password: z.string().min(1).max(PASSWORD_MAX * 4),
  otp: z.string().trim().max(32).optional(),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

export const ZLoginResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  csrfToken: z.string(),
});
export type TLoginResponse = z.infer<typeof ZLoginResponse>;
