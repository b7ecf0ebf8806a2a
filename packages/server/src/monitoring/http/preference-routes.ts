import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../identity/index.js';
import type { Platform } from '../../platform/platform.js';
import { getMyAlertPreferences, setMyAlertPreferences } from '../preferences/alert-preferences.js';
import { ZAlertPreferences } from '../preferences/alert-preferences.types.js';

export interface PreferenceRouteOptions {
  readonly platform: Platform;
}

/** /api/monitoring/preferences: the signed-in clinician's own alert notification preferences. */
export const preferenceRoutes: FastifyPluginAsyncZod<PreferenceRouteOptions> = async (app, { platform }) => {
  app.get('/preferences', { schema: { tags: ['monitoring'], response: { 200: ZAlertPreferences } } }, async (request) =>
    getMyAlertPreferences(platform.db, requireUser(request)));

  app.put('/preferences', { schema: { tags: ['monitoring'], body: ZAlertPreferences, response: { 200: ZAlertPreferences } } }, async (request) =>
    setMyAlertPreferences(platform.db, platform.audit, requireUser(request), request.body, request.id));
};
