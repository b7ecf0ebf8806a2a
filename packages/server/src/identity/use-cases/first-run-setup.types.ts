import { z } from 'zod';
import { ZEmail } from '../credentials/email.js';
import { PASSWORD_MAX } from '../credentials/password-policy.js';

export const ZSetupStatus = z.object({ needed: z.boolean() });
export const ZSetupBody = z.object({
  clinicName: z.string().trim().min(1).max(200),
  email: ZEmail,
  password: z.string().max(PASSWORD_MAX * 4),
  given: z.string().trim().min(1).max(100),
  family: z.string().trim().min(1).max(100),
});
export type TSetupBody = z.infer<typeof ZSetupBody>;
export const ZSetupResult = z.object({ organizationId: z.string(), accountId: z.string() });
