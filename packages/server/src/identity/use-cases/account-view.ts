import type { Role } from '../principal.js';
import type { AccountWithMemberships } from '../storage/account-repository.js';
import type { TAccountView } from './account-view.types.js';

export function accountView(a: AccountWithMemberships, organizationId?: string): TAccountView {
  const memberships = organizationId === undefined ? a.memberships : a.memberships.filter((m) => m.organizationId === organizationId);
  return {
    id: a.id,
    email: a.email,
    status: a.status,
    roles: [...new Set<Role>(memberships.map((m) => m.role))],
    organizations: memberships.map((m) => ({ organizationId: m.organizationId, role: m.role })),
    fhirUser: a.fhir_user,
    mfaEnabled: a.totp_enabled_at !== null,
    emailVerified: a.email_verified_at !== null,
    locale: a.locale,
  };
}
