import type { AppRoute } from '../../app/registry';

/** This feature's screens; composed into ROUTES in app/registry.ts. */
export const recordRoutes: readonly AppRoute[] = [
  {
    path: '/console/visits/:appointmentId/record',
    titleKey: 'record.title',
    // The server decides what each role sees (nurses read, the visit's clinicians write; front desk sees no clinical data).
    access: { kind: 'signed-in', roles: ['clinician', 'nurse', 'specialist'] },
    load: () => import('./record-page'),
  },
  {
    path: '/portal/visits',
    titleKey: 'record.summariesTitle',
    // The server lists the signed-in patient's own visits (caregivers: name the patient; not in this screen yet).
    access: { kind: 'signed-in', roles: ['patient'] },
    load: () => import('./summaries-page'),
    menu: { order: 12, labelKey: 'record.nav.summaries' },
  },
  {
    path: '/portal/visits/:appointmentId/summary',
    titleKey: 'record.summaryTitle',
    access: { kind: 'signed-in', roles: ['patient', 'caregiver'] },
    load: () => import('./summary-page'),
  },
];
