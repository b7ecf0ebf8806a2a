/**
 * THE place where screens plug into the app: every route and every menu entry. A capability adds its
 * screens by appending entries here (lazy-loaded, so each route is its own chunk and the portal's
 * first load stays small). Paths must live under one of APP_SECTIONS (see sections.ts).
 */
import type { ComponentType } from 'react';
import type { TRole } from '../api/auth-api';
import type { MessageKey } from '../i18n/keys';
import { rpmRoutes } from '../monitoring/routes';
import { recordRoutes } from '../visits/record/routes';
import { visitRoutes } from '../visits/room/routes';
import { schedulingRoutes } from '../visits/scheduling/routes';

export type Access =
  /** Anyone, signed in or not (sign-in, password reset, invitation, setup…). */
  | { readonly kind: 'public' }
  /** A signed-in user holding one of these roles (any role when empty). */
  | { readonly kind: 'signed-in'; readonly roles: readonly TRole[] };

export interface AppRoute {
  readonly path: string;
  /** i18n key of the page title (document.title and the page heading). */
  readonly titleKey: MessageKey;
  readonly access: Access;
  readonly load: () => Promise<{ readonly default: ComponentType }>;
  /** Shown in the navigation of users who may open it, sorted by order. */
  readonly menu?: { readonly order: number; readonly labelKey: MessageKey };
}


const PATIENTS: readonly TRole[] = ['patient', 'caregiver'];
const CLINICAL: readonly TRole[] = ['clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk'];
const ADMINS: readonly TRole[] = ['admin'];
const PUBLIC: Access = { kind: 'public' };

const CORE_ROUTES: readonly AppRoute[] = [
  { path: '/signin', titleKey: 'signIn.title', access: PUBLIC, load: () => import('../auth/sign-in-page') },
  { path: '/signed-out', titleKey: 'signIn.signedOutTitle', access: PUBLIC, load: () => import('../auth/signed-out-page') },
  { path: '/mfa/enrol', titleKey: 'mfa.enrolTitle', access: PUBLIC, load: () => import('../auth/mfa-enrol-page') },
  { path: '/forgot-password', titleKey: 'forgot.title', access: PUBLIC, load: () => import('../auth/forgot-password-page') },
  { path: '/reset-password', titleKey: 'reset.title', access: PUBLIC, load: () => import('../auth/reset-password-page') },
  { path: '/verify-email', titleKey: 'verifyEmail.title', access: PUBLIC, load: () => import('../auth/verify-email-page') },
  { path: '/invitation', titleKey: 'invitation.title', access: PUBLIC, load: () => import('../auth/invitation-page') },
  { path: '/setup', titleKey: 'setup.title', access: PUBLIC, load: () => import('../setup/setup-page') },
  {
    path: '/portal',
    titleKey: 'portal.title',
    access: { kind: 'signed-in', roles: PATIENTS },
    load: () => import('../portal/patient-home'),
    menu: { order: 10, labelKey: 'nav.portalHome' },
  },
  {
    path: '/portal/access-log',
    titleKey: 'accessLog.title',
    // The server keeps an access log for patient accounts only (a caregiver's is their patient's to read).
    access: { kind: 'signed-in', roles: ['patient'] },
    load: () => import('../portal/access-log-page'),
    menu: { order: 15, labelKey: 'nav.accessLog' },
  },
  {
    path: '/console',
    titleKey: 'console.title',
    access: { kind: 'signed-in', roles: CLINICAL },
    load: () => import('../console/clinician-home'),
    menu: { order: 20, labelKey: 'nav.consoleHome' },
  },
  {
    path: '/admin',
    titleKey: 'admin.title',
    access: { kind: 'signed-in', roles: ADMINS },
    load: () => import('../admin/admin-home'),
    menu: { order: 30, labelKey: 'nav.adminHome' },
  },
  {
    path: '/admin/audit',
    titleKey: 'audit.title',
    access: { kind: 'signed-in', roles: ADMINS },
    load: () => import('../audit/audit-report-page'),
    menu: { order: 35, labelKey: 'nav.audit' },
  },
  {
    path: '/account',
    titleKey: 'account.title',
    access: { kind: 'signed-in', roles: [] },
    load: () => import('../account/account-page'),
    menu: { order: 90, labelKey: 'nav.account' },
  },
];

/** Every screen: the core ones above, then each capability's own list (menu order decides placement). */
export const ROUTES: readonly AppRoute[] = [...CORE_ROUTES, ...schedulingRoutes, ...visitRoutes, ...recordRoutes, ...rpmRoutes];

/** The menu entry a path belongs to: the longest registered path it lies under (so /admin/audit is not /admin). */
export function activeMenuPath(pathname: string, entries: readonly AppRoute[]): string | undefined {
  return entries
    .filter((e) => pathname === e.path || pathname.startsWith(`${e.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
}

export function mayOpen(route: AppRoute, roles: readonly TRole[] | undefined): boolean {
  if (route.access.kind === 'public') return true;
  if (!roles) return false;
  return route.access.roles.length === 0 || route.access.roles.some((r) => roles.includes(r));
}

/** Menu entries for a user, in order. */
export function menuFor(roles: readonly TRole[], routes: readonly AppRoute[] = ROUTES): readonly AppRoute[] {
  return routes.filter((r) => r.menu && mayOpen(r, roles)).sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0));
}

/** Where a user lands after sign-in: the first home their roles open (patients the portal, staff the console…). */
export function homePathFor(roles: readonly TRole[], routes: readonly AppRoute[] = ROUTES): string {
  return menuFor(roles, routes)[0]?.path ?? '/account';
}
