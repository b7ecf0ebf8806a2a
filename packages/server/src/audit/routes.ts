import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorRef, hasRole, type Principal } from '../identity/principal.js';
import { CarelineError } from '../platform/errors/careline-error.js';
import type { CapabilityOptions } from '../platform/platform.js';
import { accessLog } from './access-log.js';
import { auditReport, exportAuditCsv } from './audit-report.js';
import { ZAccessLogPage, ZAccessLogQuery, ZAuditReportPage } from './audit-report.types.js';
import { parseReportQuery, ReportQueryError, ZAuditReportQuery } from './report-query.js';

function signedIn(request: FastifyRequest): Principal {
  if (!request.principal) throw new CarelineError('unauthorized');
  return request.principal;
}

/** Admins only; anyone else signed in learns nothing of the route (404, as for hidden resources). */
function admin(request: FastifyRequest): Principal {
  const p = signedIn(request);
  if (!hasRole(p, 'admin')) throw new CarelineError('not-found', [{ diagnostics: `No route ${request.method} ${request.routeOptions.url ?? ''}.` }]);
  return p;
}

/**
 * The audit capability's HTTP surface: the admin report (filters, sort, keyset paging, CSV export)
 * and a patient's own access log. Audit data is never cached.
 */
export const auditRoutes: FastifyPluginAsyncZod<CapabilityOptions> = async (app, { platform }) => {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/admin/audit',
    { schema: { tags: ['audit'], summary: 'Audit report (admins)', querystring: ZAuditReportQuery, response: { 200: ZAuditReportPage } } },
    async (request, reply) => {
      const who = admin(request);
      let query;
      try {
        query = parseReportQuery(request.query);
      } catch (err) {
        if (err instanceof ReportQueryError) throw new CarelineError('bad-request', [{ diagnostics: `${err.field}: ${err.message}`, expression: [`query.${err.field}`] }]);
        throw err;
      }
      if (query.format === 'csv') {
        const csv = await exportAuditCsv(platform.db, platform.audit, query, { actor: actorRef(who), sourceIp: request.ip, requestId: request.id });
        const name = `careline-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
        // Text, not the JSON page the response schema describes: sent through the untyped reply.
        const plain = reply as unknown as FastifyReply;
        return plain.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
      }
      return auditReport(platform.db, query);
    },
  );

  app.get(
    '/api/me/access-log',
    { schema: { tags: ['audit'], summary: 'Who accessed my record', querystring: ZAccessLogQuery, response: { 200: ZAccessLogPage } } },
    async (request) => {
      const p = signedIn(request);
      const own = p.kind === 'user' && p.fhirUser?.startsWith('Patient/') ? p.fhirUser : undefined;
      if (!own) throw new CarelineError('not-found', [{ diagnostics: 'Only a patient account has an access log.' }]);
      return accessLog(platform.db, own, request.query.limit, request.query.cursor);
    },
  );
};
