import type { TRole } from '../api/auth-api';
import type { AppRoute } from '../app/registry';

/** The care team that works the monitoring panel (the server's clinical roles for /api/monitoring). */
const CARE_TEAM: readonly TRole[] = ['clinician', 'nurse', 'specialist'];

/**
 * This feature's screens; composed into ROUTES in app/registry.ts. Each is its own lazy chunk, so the
 * charts (recharts) never weigh on the portal's or console's first load.
 */
export const rpmRoutes: readonly AppRoute[] = [
  {
    path: '/console/monitoring',
    titleKey: 'rpm.titles.panel',
    access: { kind: 'signed-in', roles: CARE_TEAM },
    load: () => import('./panel-page'),
    menu: { order: 22, labelKey: 'rpm.nav.panel' },
  },
  {
    path: '/console/monitoring/patients/:patientId',
    titleKey: 'rpm.titles.patient',
    access: { kind: 'signed-in', roles: CARE_TEAM },
    load: () => import('./patient-page'),
  },
  {
    path: '/console/monitoring/billing',
    titleKey: 'rpm.titles.billing',
    // Clinic admins and clinicians (the server's report roles). After the admin home (30), so an
    // admin still lands on /admin.
    access: { kind: 'signed-in', roles: ['clinician', 'admin'] },
    load: () => import('./billing-page'),
    menu: { order: 36, labelKey: 'rpm.nav.billing' },
  },
  {
    path: '/portal/readings',
    titleKey: 'rpm.titles.readings',
    access: { kind: 'signed-in', roles: ['patient', 'caregiver'] },
    load: () => import('./my-readings-page'),
    menu: { order: 13, labelKey: 'rpm.nav.readings' },
  },
];
