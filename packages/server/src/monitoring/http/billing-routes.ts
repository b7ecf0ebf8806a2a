import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditAgent, type AccessContext, type FhirStore } from '../../fhir/index.js';
import { hasRole, requireUser, type Principal, type Role, type UserPrincipal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import { billingCsv } from '../billing/billing-csv.js';
import { billingPdf } from '../billing/billing-pdf.js';
import { ZBillingQuery, ZBillingReport } from '../billing/billing-report.types.js';
import { buildBillingReport } from '../billing/build-billing-report.js';
import { ClinicSettingRepository } from '../billing/clinic-setting-repository.js';
import { closeBillingMonth } from '../billing/close-billing-month.js';
import { isValidTimeZone, localDate } from '../billing/local-date.js';
import { ZMonth } from '../time/time-entry.types.js';

export interface BillingRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  readonly accessFor: (principal: Principal, request: FastifyRequest) => Promise<AccessContext>;
  readonly now?: () => Date;
}

const REPORT_ROLES: readonly Role[] = ['admin', 'clinician'];
const OrganizationId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

/** The clinic the caller asks about (or their first) where they hold one of `roles`; else 404. */
function clinicOf(user: UserPrincipal, roles: readonly Role[], organization: string | undefined): string {
  const clinic = organization ?? user.memberships.find((m) => roles.includes(m.role))?.organizationId;
  if (clinic === undefined || !roles.some((r) => hasRole(user, r, clinic))) throw new CarelineError('not-found', [{ diagnostics: 'Nothing is here.' }]);
  return clinic;
}

/**
 * /api/monitoring/billing: the monthly RPM billing report (JSON, CSV, PDF) for clinic admins and
 * clinicians, closing a month (admins), and the clinic's time zone setting (admins).
 */
export const billingRoutes: FastifyPluginAsyncZod<BillingRouteOptions> = async (app, { platform, store, accessFor, now = () => new Date() }) => {
  app.get('/billing', { schema: { tags: ['monitoring'], querystring: ZBillingQuery } }, async (request, reply) => {
    const user = requireUser(request);
    const clinic = clinicOf(user, REPORT_ROLES, request.query.organization);
    const report = await buildBillingReport(store, platform.db, clinic, request.query.month);
    const format = request.query.format;
    const patients = [...new Set(report.rows.map((r) => r.patient))];
    await platform.audit.access([{ interaction: format === 'json' ? 'search-type' : 'export', outcome: 'success', who: auditAgent(await accessFor(user, request)), patients, entity: 'monitoring-billing-report' }]);
    void reply.header('cache-control', 'no-store');
    const file = `rpm-billing-${clinic}-${report.month}`;
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`).send(billingCsv(report));
    if (format === 'pdf') return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await billingPdf(report));
    return ZBillingReport.parse(report);
  });

  app.post('/billing/close', { schema: { tags: ['monitoring'], querystring: z.object({ month: ZMonth, organization: OrganizationId.optional() }).strict(), response: { 200: ZBillingReport } } }, async (request) => {
    const user = requireUser(request);
    const clinic = clinicOf(user, ['admin'], request.query.organization);
    const timeZone = await new ClinicSettingRepository(platform.db).timeZone(clinic);
    const report = await closeBillingMonth(store, platform.db, clinic, request.query.month, `User/${user.accountId}`, localDate(now(), timeZone));
    await platform.audit.access([{ interaction: 'update', outcome: 'success', who: auditAgent(await accessFor(user, request)), patients: [...new Set(report.rows.map((r) => r.patient))], entity: 'monitoring-billing-report' }]);
    return report;
  });

  const ZSettings = z.object({ organization: z.string(), timeZone: z.string() });
  app.get('/settings', { schema: { tags: ['monitoring'], querystring: z.object({ organization: OrganizationId.optional() }).strict(), response: { 200: ZSettings } } }, async (request) => {
    const clinic = clinicOf(requireUser(request), ['admin', 'clinician', 'nurse', 'specialist'], request.query.organization);
    return { organization: clinic, timeZone: await new ClinicSettingRepository(platform.db).timeZone(clinic) };
  });

  app.put('/settings', { schema: { tags: ['monitoring'], body: z.object({ organization: OrganizationId.optional(), timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'an IANA time zone such as America/Denver') }).strict(), response: { 200: ZSettings } } }, async (request) => {
    const user = requireUser(request);
    const clinic = clinicOf(user, ['admin'], request.body.organization);
    await new ClinicSettingRepository(platform.db).setTimeZone(clinic, request.body.timeZone, `User/${user.accountId}`);
    await platform.audit.security({ type: 'client-change', outcome: 'success', actor: `User/${user.accountId}`, target: `Organization/${clinic}`, detail: 'monitoring-time-zone', requestId: request.id });
    return { organization: clinic, timeZone: request.body.timeZone };
  });
};
