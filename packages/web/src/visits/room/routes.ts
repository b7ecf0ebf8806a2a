import type { AppRoute } from '../../app/registry';

/** This feature's screens; composed into ROUTES in app/registry.ts. */
export const visitRoutes: readonly AppRoute[] = [];
