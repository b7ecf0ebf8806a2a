import { z } from 'zod';

export const ZTotpSetupResponse = z.object({ secret: z.string(), otpauthUri: z.string() });
export const ZOtpBody = z.object({ otp: z.string().trim().min(1).max(32) });
export const ZTotpConfirmResponse = z.object({ recoveryCodes: z.array(z.string()) });
export const ZTotpDisableBody = z.object({ password: z.string().min(1).max(512), otp: z.string().trim().min(1).max(32) });
