import type { AppRoute } from '../../app/registry';

/** This feature's screens; composed into ROUTES in app/registry.ts. No menu entries: visits are opened from links and lists. */
export const visitRoutes: readonly AppRoute[] = [
  // Patients and guests from their join link (token in the fragment); no account needed.
  { path: '/visit/join', titleKey: 'visit.title', access: { kind: 'public' }, load: () => import('./join-link-page') },
  { path: '/portal/visits/:appointmentId/join', titleKey: 'visit.title', access: { kind: 'signed-in', roles: ['patient', 'caregiver'] }, load: () => import('./portal-join-page') },
  {
    path: '/console/visits/:appointmentId',
    titleKey: 'visit.title',
    access: { kind: 'signed-in', roles: ['clinician', 'nurse', 'specialist', 'telepresenter'] },
    load: () => import('./console-visit-page'),
  },
];
