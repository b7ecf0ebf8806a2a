import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PASSWORD_MAX, PASSWORD_MIN, passwordLength } from '@careline/contracts';

/**
 * Password rules of OWASP ASVS V2.1: at least 8 characters (V2.1.1), at least 64 allowed (V2.1.2;
 * we cap at 128 so a hash request cannot be made arbitrarily expensive), any printable Unicode and
 * spaces allowed with no composition rules (V2.1.4, V2.1.9), and refused when common (V2.1.7) or
 * equal to the account's email. Length counts Unicode code points (V2.1.1 notes), after NFC.
 */
export { PASSWORD_MIN, PASSWORD_MAX } from '@careline/contracts';

/** Same from src/ (vitest) and dist/ (node): both sit two folders below packages/server. */
const LIST_FILE = fileURLToPath(new URL('../../../src/identity/credentials/common-passwords.txt', import.meta.url));

let common: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l.length > 0 && !l.startsWith('#')),
  );
  return common;
}

export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'equals-email';

const MESSAGES: Record<PasswordProblem, string> = {
  'too-short': `The password must have at least ${PASSWORD_MIN} characters.`,
  'too-long': `The password must have at most ${PASSWORD_MAX} characters.`,
  common: 'This password is too common; choose one that is harder to guess.',
  'equals-email': 'The password must not be the email address.',
};

export function passwordProblemMessage(p: PasswordProblem): string {
  return MESSAGES[p];
}

/** The first rule the password breaks, or undefined when it is acceptable. */
export function checkPassword(password: string, email?: string): PasswordProblem | undefined {
  // Code points, as ASVS counts them (one emoji sequence may count as several; that only helps length).
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  const lower = password.trim().toLowerCase();
  if (email !== undefined && lower === email.trim().toLowerCase()) return 'equals-email';
  if (commonPasswords().has(lower)) return 'common';
  return undefined;
}
