import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { CarelineError, operationOutcome } from '../errors/careline-error.js';
import type { ErrorCode } from '../errors/catalogue.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function sendError(reply: FastifyReply, err: CarelineError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
  return reply.code(err.status).type(FHIR_JSON).send(err.toOperationOutcome());
}

/** Maps Fastify's own error codes onto the catalogue, so clients see one error model. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_INVALID_TYPE: 'bad-request',
  FST_ERR_VALIDATION: 'validation-failed',
};

function toCarelineError(err: FastifyError): CarelineError {
  if (err instanceof CarelineError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new CarelineError(
      'validation-failed',
      err.validation.map((v) => ({
        diagnostics: `${err.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}: ${v.message ?? 'invalid'}`,
        expression: [`${err.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`],
      })),
    );
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
    return new CarelineError('invalid-json', [{ diagnostics: `The request body is not valid JSON: ${err.message}` }]);
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return new CarelineError(mapped, [{ diagnostics: err.message }]);
  if (err.statusCode === 429) return new CarelineError('rate-limited');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new CarelineError('bad-request', [{ diagnostics: err.message }]);
  }
  return new CarelineError('internal');
}

/**
 * One error handler and one not-found handler for the whole app. 5xx are logged with the
 * request id (never the body); clients never see a stack trace.
 */
export function installErrorHandling(app: FastifyInstance): void {
  // A shadow router of every declared route lets the not-found handler tell 404 from 405.
  const shadow = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      try {
        shadow.on(m as HTTPMethod, route.url, () => undefined);
      } catch {
        // duplicate HEAD registrations etc. are harmless here
      }
    }
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isResponseSerializationError(error)) {
      request.log.error({ err: { message: error.message, code: error.code } }, 'response failed its own schema');
      return sendError(reply, new CarelineError('internal'));
    }
    const mapped = toCarelineError(error);
    if (mapped.status >= 500) {
      request.log.error({ err: { type: error.name, message: error.message, stack: error.stack, code: error.code } }, 'request failed');
    }
    return sendError(reply, mapped);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/';
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => shadow.find(m, url) !== null);
    if (allowed.length > 0) {
      return sendError(
        reply,
        new CarelineError('method-not-allowed', [{ diagnostics: `${request.method} is not allowed on ${url}; use ${allowed.join(', ')}.` }], {
          allow: allowed.join(', '),
        }),
      );
    }
    return sendError(reply, new CarelineError('not-found', [{ diagnostics: `No route ${request.method} ${url}.` }]));
  });
}

/** Reports a problem for the caller to fix; thin wrapper used by routes. */
export function fail(code: ErrorCode, diagnostics?: string, expression?: string[]): never {
  throw new CarelineError(code, diagnostics ? [{ diagnostics, ...(expression ? { expression } : {}) }] : []);
}

export { operationOutcome };
