import { generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s.
 * One step of clock drift either way is accepted (RFC 6238 §5.2 recommends at most one step for
 * network delay). The time step of each accepted code is stored; a code of that step or an earlier
 * one is refused, so an observed code cannot be replayed (RFC 6238 §5.2).
 */
export const TOTP_PATTERN = /^\d{6}$/;
const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: 'Careline', label, secret });
}

/** The time step the code belongs to, or undefined if it is wrong or not after `afterStep`. */
export async function verifyTotp(secret: string, code: string, afterStep: number | null, epochSeconds?: number): Promise<number | undefined> {
  if (!TOTP_PATTERN.test(code)) return undefined;
  try {
    const r = await verify({
      secret,
      token: code,
      epochTolerance: PERIOD,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
      ...(epochSeconds !== undefined ? { epoch: epochSeconds } : {}),
    });
    // The functional API's result type is the HOTP/TOTP union; a TOTP success carries timeStep.
    return r.valid && 'timeStep' in r ? r.timeStep : undefined;
  } catch {
    // otplib throws when afterTimeStep lies beyond the window (a clock moved back): refuse.
    return undefined;
  }
}
