import { z } from 'zod';

/** POST /auth/login (docs/API.md): the body is shared with the web app's sign-in form. */
export { ZLoginBody, type TLoginBody } from '@careline/contracts';

export const ZLoginResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  csrfToken: z.string(),
});
export type TLoginResponse = z.infer<typeof ZLoginResponse>;
