/**
 * Every identity call the web app makes, typed from docs/API.md. When the server publishes these
 * schemas in @careline/contracts, import them here instead; the screens only see these functions.
 */
// zod/mini keeps the validation of responses out of the way of the first load (tree-shakable API).
import * as z from 'zod/mini';
import { ApiError, request, setBearerToken, setCsrfToken } from './http';

export const ROLES = ['patient', 'caregiver', 'clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin'] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;
export const STAFF_ROLES: readonly TRole[] = ['clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin'];

export const ZMe = z.object({
  id: z.string(),
  email: z.string(),
  roles: z.array(ZRole),
  organizations: z.array(z.object({ organizationId: z.string(), role: ZRole })),
  fhirUser: z.nullable(z.string()),
  mfaEnabled: z.boolean(),
  emailVerified: z.optional(z.boolean()),
  /** The language the user chose, remembered on the account (null: not chosen yet). */
  locale: z.optional(z.nullable(z.string())),
  csrfToken: z.optional(z.string()),
});
export type TMe = z.infer<typeof ZMe>;

const ZLogin = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number(), csrfToken: z.optional(z.string()) });
const ZTotpSetup = z.object({ secret: z.string(), otpauthUri: z.string() });
const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
const ZInvitation = z.object({
  email: z.string(),
  role: ZRole,
  organizationId: z.string(),
  organizationName: z.nullable(z.string()),
  expiresAt: z.string(),
});
export type TInvitation = z.infer<typeof ZInvitation>;
const ZSetupStatus = z.object({ needed: z.boolean() });
const ZSetupDone = z.object({ organizationId: z.string(), accountId: z.string() });
const ZInvited = z.object({ id: z.string(), expiresAt: z.string() });
const ZDemoClinic = z.object({
  organizationId: z.string(),
  password: z.string(),
  accounts: z.array(z.object({ email: z.string(), role: z.string(), fhirUser: z.nullable(z.string()) })),
  patients: z.number(),
});
export type TDemoClinic = z.infer<typeof ZDemoClinic>;
export const ZAdminUser = z.object({
  id: z.string(),
  email: z.string(),
  status: z.enum(['active', 'disabled']),
  roles: z.array(ZRole),
  fhirUser: z.nullable(z.string()),
  mfaEnabled: z.boolean(),
  emailVerified: z.boolean(),
});
export type TAdminUser = z.infer<typeof ZAdminUser>;
const ZUsers = z.object({ users: z.array(ZAdminUser) });

/** The header that carries the MFA enrolment token on a 401 mfa-enrolment-required. */
export const ENROLMENT_HEADER = 'careline-enrolment-token';

export async function login(body: { email: string; password: string; otp?: string }): Promise<void> {
  const { data } = await request('/auth/login', ZLogin, { method: 'POST', body });
  // The browser keeps the httpOnly cookie; the bearer token is not needed and is dropped.
  setBearerToken(undefined);
  setCsrfToken(data.csrfToken);
}

export async function logout(): Promise<void> {
  try {
    await request('/auth/logout', null, { method: 'POST' });
  } finally {
    setCsrfToken(undefined);
    setBearerToken(undefined);
  }
}

/** The signed-in user, or null when anonymous (401). */
export async function getMe(signal?: AbortSignal): Promise<TMe | null> {
  try {
    const { data } = await request('/auth/me', ZMe, signal ? { signal } : {});
    if (data.csrfToken) setCsrfToken(data.csrfToken);
    return data;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Remembers the user's language on their account, so every device they sign in on uses it. */
export async function savePreferences(locale: string): Promise<void> {
  await request('/auth/me/preferences', null, { method: 'PUT', body: { locale } });
}

export const totpSetup = async () => (await request('/auth/mfa/totp/setup', ZTotpSetup, { method: 'POST' })).data;
export const totpConfirm = async (otp: string) => (await request('/auth/mfa/totp/confirm', ZRecoveryCodes, { method: 'POST', body: { otp } })).data;
export async function forgotPassword(email: string): Promise<void> {
  await request('/auth/password/forgot', null, { method: 'POST', body: { email } });
}
export async function resetPassword(token: string, password: string): Promise<void> {
  await request('/auth/password/reset', null, { method: 'POST', body: { token, password } });
}
export async function verifyEmail(token: string): Promise<void> {
  await request('/auth/email/verify', null, { method: 'POST', body: { token } });
}
export const getInvitation = async (token: string) => (await request(`/auth/invitations/${encodeURIComponent(token)}`, ZInvitation)).data;
export async function acceptInvitation(token: string, password: string): Promise<void> {
  await request('/auth/invitations/accept', null, { method: 'POST', body: { token, password } });
}
export const getSetupStatus = async () => (await request('/api/setup', ZSetupStatus)).data;
export const runSetup = async (body: { clinicName: string; email: string; password: string; given: string; family: string }) =>
  (await request('/api/setup', ZSetupDone, { method: 'POST', body })).data;
/** The setup screen's demo button: allowed only while the installation has no account. */
export const loadDemoClinic = async () => (await request('/api/setup/demo', ZDemoClinic, { method: 'POST', body: {} })).data;
export const inviteUser = async (body: { email: string; role: TRole; organizationId: string; given?: string; family?: string; birthDate?: string }) =>
  (await request('/api/admin/invitations', ZInvited, { method: 'POST', body })).data;
export const listUsers = async (organizationId: string) =>
  (await request(`/api/admin/organizations/${encodeURIComponent(organizationId)}/users`, ZUsers)).data.users;
const usersPath = (organizationId: string, id: string) => `/api/admin/organizations/${encodeURIComponent(organizationId)}/users/${encodeURIComponent(id)}`;
/** Replaces the user's roles in this organization (at least one). */
export const setUserRoles = async (organizationId: string, id: string, roles: readonly TRole[]) =>
  (await request(`${usersPath(organizationId, id)}/roles`, ZAdminUser, { method: 'PUT', body: { roles } })).data;
/** Disables the account: every session ends and its WebSockets close. */
export async function disableUser(organizationId: string, id: string): Promise<void> {
  await request(`${usersPath(organizationId, id)}/disable`, null, { method: 'POST' });
}
export async function enableUser(organizationId: string, id: string): Promise<void> {
  await request(`${usersPath(organizationId, id)}/enable`, null, { method: 'POST' });
}
