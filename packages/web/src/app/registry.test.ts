import { describe, expect, it } from 'vitest';
import { activeMenuPath, homePathFor, menuFor, ROUTES } from './registry';
import { APP_SECTIONS, RESERVED_PREFIXES } from './sections';

describe('route registry', () => {
  it('puts every route under a section the server falls back for', () => {
    for (const route of ROUTES) {
      const section = route.path.split('/')[1] ?? '';
      expect(APP_SECTIONS as readonly string[], route.path).toContain(section);
    }
  });

  it('never claims a server path', () => {
    for (const section of APP_SECTIONS) {
      expect((RESERVED_PREFIXES as readonly string[]).includes(section), section).toBe(false);
    }
  });

  it('has unique paths', () => {
    expect(new Set(ROUTES.map((r) => r.path)).size).toBe(ROUTES.length);
  });

  it('sends each role to its home', () => {
    expect(homePathFor(['patient'])).toBe('/portal');
    expect(homePathFor(['caregiver'])).toBe('/portal');
    expect(homePathFor(['clinician'])).toBe('/console');
    expect(homePathFor(['front-desk'])).toBe('/console');
    expect(homePathFor(['admin'])).toBe('/admin');
    expect(homePathFor(['clinician', 'admin'])).toBe('/console');
  });

  it('shows each user only the menu entries their roles open', () => {
    expect(menuFor(['patient']).map((r) => r.path)).toEqual(['/portal', '/portal/appointments', '/portal/visits', '/portal/readings', '/portal/access-log', '/account']);
    expect(menuFor(['caregiver']).map((r) => r.path)).toEqual(['/portal', '/portal/readings', '/account']);
    expect(menuFor(['nurse', 'admin']).map((r) => r.path)).toEqual([
      '/console', '/console/schedule', '/console/monitoring', '/console/book', '/admin', '/console/availability', '/admin/audit', '/console/monitoring/billing', '/account',
    ]);
    // Screens reached from other screens (a visit, a patient) have no menu entry of their own.
    expect(menuFor(['clinician', 'telepresenter']).some((r) => r.path.includes(':'))).toBe(false);
  });

  it('marks the deepest menu entry a path lies under as the current one', () => {
    const menu = menuFor(['admin']);
    expect(activeMenuPath('/admin', menu)).toBe('/admin');
    expect(activeMenuPath('/admin/audit', menu)).toBe('/admin/audit');
    expect(activeMenuPath('/administration', menu)).toBeUndefined();
  });
});
