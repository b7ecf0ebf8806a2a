import { z } from 'zod';

export const ZSetupStatus = z.object({ needed: z.boolean() });
/** The body is shared with the web app's setup form. */
export { ZSetupBody, type TSetupBody } from '@careline/contracts';
export const ZSetupResult = z.object({ organizationId: z.string(), accountId: z.string() });
