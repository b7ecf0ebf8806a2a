import { describe, expect, it } from 'vitest';
import { formErrorKey } from './error-keys';
import { ZInviteForm, ZResetForm, ZSetupForm, ZSignInForm } from './schemas';

const keysOf = (r: { success: boolean; error?: { issues: Parameters<typeof formErrorKey>[0][] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), formErrorKey(i)]));

describe('identity forms use the server contracts, with messages in the user language', () => {
  it('asks for a valid email and a password at sign-in', () => {
    expect(keysOf(ZSignInForm.safeParse({ email: 'not-an-email', password: '' }))).toEqual({ email: 'validation.email', password: 'validation.required' });
    expect(ZSignInForm.safeParse({ email: ' Ann@Clinic.org ', password: 'x' }).data?.email).toBe('ann@clinic.org');
    expect(keysOf(ZSignInForm.safeParse({ email: ' ', password: '' }))).toEqual({ email: 'validation.required', password: 'validation.required' });
  });

  it('applies the password policy length (code points) and the confirmation', () => {
    expect(keysOf(ZResetForm.safeParse({ password: 'short', confirm: 'short' }))).toEqual({ password: 'validation.passwordLength' });
    expect(keysOf(ZResetForm.safeParse({ password: 'x'.repeat(129), confirm: 'x'.repeat(129) }))).toEqual({ password: 'validation.passwordLength' });
    expect(keysOf(ZResetForm.safeParse({ password: 'long enough', confirm: 'different' }))).toEqual({ confirm: 'validation.passwordMatch' });
    // Eight emoji are eight code points (sixteen UTF-16 units): accepted, as the server counts.
    expect(ZResetForm.safeParse({ password: '😀'.repeat(8), confirm: '😀'.repeat(8) }).success).toBe(true);
  });

  it('requires the setup fields the server requires', () => {
    const r = ZSetupForm.safeParse({ clinicName: ' ', given: '', family: 'x'.repeat(101), email: 'a@b.co', password: 'long enough', confirm: 'long enough' });
    expect(keysOf(r)).toEqual({ clinicName: 'validation.required', given: 'validation.required', family: 'validation.tooLong' });
  });

  it('takes empty optional invitation fields and checks dates', () => {
    expect(ZInviteForm.safeParse({ email: 'p@b.co', role: 'patient', given: '', family: '', birthDate: '' }).success).toBe(true);
    expect(keysOf(ZInviteForm.safeParse({ email: 'p@b.co', role: 'patient', given: '', family: '', birthDate: '1990-13-45' }))).toEqual({ birthDate: 'validation.date' });
  });
});
