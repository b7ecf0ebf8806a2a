import type { AppRoute } from '../../app/registry';

/** This feature's screens; composed into ROUTES in app/registry.ts. */
export const schedulingRoutes: readonly AppRoute[] = [
  {
    path: '/portal/appointments',
    titleKey: 'scheduling.title',
    // The server's /appointments/mine is the signed-in patient's own list (caregivers: not yet).
    access: { kind: 'signed-in', roles: ['patient'] },
    load: () => import('./appointments-page'),
    menu: { order: 11, labelKey: 'scheduling.nav.appointments' },
  },
  {
    path: '/portal/appointments/book',
    titleKey: 'scheduling.titles.book',
    // The server's /appointments/mine is the signed-in patient's own list (caregivers: not yet).
    access: { kind: 'signed-in', roles: ['patient'] },
    load: () => import('./book-page'),
  },
  {
    path: '/console/schedule',
    titleKey: 'scheduling.titles.schedule',
    access: { kind: 'signed-in', roles: ['clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk'] },
    load: () => import('./schedule-page'),
    menu: { order: 21, labelKey: 'scheduling.nav.schedule' },
  },
  {
    path: '/console/availability',
    titleKey: 'scheduling.titles.availability',
    access: { kind: 'signed-in', roles: ['clinician', 'specialist', 'front-desk', 'admin'] },
    load: () => import('./availability-page'),
    // After /admin (30): an admin's first menu entry is their home, and it must stay the admin home.
    menu: { order: 31, labelKey: 'scheduling.nav.availability' },
  },
  {
    path: '/console/book',
    titleKey: 'scheduling.titles.bookFor',
    access: { kind: 'signed-in', roles: ['clinician', 'nurse', 'specialist', 'front-desk'] },
    load: () => import('./staff-book-page'),
    menu: { order: 23, labelKey: 'scheduling.nav.bookFor' },
  },
];
