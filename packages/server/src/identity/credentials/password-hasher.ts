import { hash, verify } from '@node-rs/argon2';
import type { CarelineConfig } from '../../platform/config/config.js';

/**
 * argon2id password hashing (the @node-rs/argon2 default algorithm). Production cost follows the
 * OWASP Password Storage Cheat Sheet (m = 19 MiB, t = 2, p = 1); tests configure a cheaper one.
 * A stored hash carries its own parameters, so verifying an older hash keeps working after a change.
 */
export class PasswordHasher {
  private readonly options: { memoryCost: number; timeCost: number; parallelism: number };
  private dummy: Promise<string> | undefined;

  constructor(config: Pick<CarelineConfig, 'passwordHash'>) {
    this.options = { memoryCost: config.passwordHash.memoryKib, timeCost: config.passwordHash.timeCost, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification, for an unknown email: no timing difference
   * between "no such account" and "wrong password" (OWASP ASVS V2.2, V3.2).
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash('careline-dummy-password-for-timing');
    await this.verify(await this.dummy, password);
    return false;
  }
}
