import type { FastifyReply, FastifyRequest } from 'fastify';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VersionedResource } from '../store/resource-types.js';

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

/** https://hl7.org/fhir/R4/http.html#mime-type : JSON only; XML is refused, never misread. */
export function assertAcceptsJson(request: FastifyRequest): void {
  const accept = request.headers.accept ?? '';
  const format = (request.query as Record<string, unknown> | undefined)?._format;
  const wantsXml = (typeof format === 'string' && /xml/i.test(format)) || (/xml/i.test(accept) && !/json|\*\/\*/i.test(accept));
  if (wantsXml) throw new CarelineError('not-acceptable', [{ diagnostics: 'Careline serves FHIR as application/fhir+json only.' }]);
}

export type PreferReturn = 'minimal' | 'representation' | 'OperationOutcome';

/** Prefer: return=… (https://hl7.org/fhir/R4/http.html#ops); representation by default. */
export function preferReturn(request: FastifyRequest): PreferReturn {
  const prefer = request.headers.prefer;
  const m = typeof prefer === 'string' ? /return=(minimal|representation|OperationOutcome)/.exec(prefer) : null;
  return (m?.[1] as PreferReturn | undefined) ?? 'representation';
}

export function preferLenient(request: FastifyRequest): boolean {
  const prefer = request.headers.prefer;
  return typeof prefer === 'string' && /handling=lenient/.test(prefer);
}

/** ETag as a weak validator of the version (https://hl7.org/fhir/R4/http.html#versioning). */
export function etag(versionId: number): string {
  return `W/"${versionId}"`;
}

/** If-Match: W/"3" → 3; malformed → 400 (a silent ignore would defeat optimistic locking). */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const h = request.headers['if-match'];
  if (h === undefined) return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(h);
  if (!m?.[1]) throw new CarelineError('bad-request', [{ diagnostics: 'If-Match must look like W/"<versionId>".', expression: ['header.If-Match'] }]);
  return Number(m[1]);
}

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/fhir/R4`;
}

/** Sends a stored version with ETag, Last-Modified and Location (on writes), honouring Prefer. */
export function sendVersion(
  request: FastifyRequest,
  reply: FastifyReply,
  v: VersionedResource,
  status: number,
  options: { location?: boolean; outcome?: string } = {},
): FastifyReply {
  void reply
    .code(status)
    .type(FHIR_CONTENT_TYPE)
    .header('etag', etag(v.versionId))
    .header('last-modified', v.lastUpdated.toUTCString());
  if (options.location) {
    void reply.header('location', `${baseUrl(request)}/${v.resource.resourceType}/${String(v.resource.id)}/_history/${v.versionId}`);
  }
  const prefer = status === 200 && !options.location && request.method === 'GET' ? 'representation' : preferReturn(request);
  switch (prefer) {
    case 'minimal':
      return reply.send('');
    case 'OperationOutcome':
      return reply.send({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'information', code: 'informational', diagnostics: options.outcome ?? 'Done.' }],
      });
    case 'representation':
      return reply.send(v.json);
  }
}
