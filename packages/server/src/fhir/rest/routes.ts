import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import type { AccessContext } from '../access/access-policy.js';
import { isR4ResourceType } from '../definitions/search-parameters.js';
import { parseQuery } from '../store/find-matches.js';
import type { FhirStore } from '../store/fhir-store.js';
import { processBundle } from '../store/process-bundle.js';
import { serializeBundle } from '../store/search-resources.js';
import { capabilityStatement } from './capability-statement.js';
import { assertAcceptsJson, baseUrl, FHIR_CONTENT_TYPE, ifMatchVersion, preferLenient, preferReturn, sendVersion } from './fhir-http.js';
import { linkQuery, queryPairs } from './query-pairs.js';

export interface FhirRouteOptions {
  readonly platform: Platform;
  readonly store: FhirStore;
  /** The caller's access context: the one door's policy comes from here (identity supplies it). */
  /** Who calls, resolved per request (the identity capability may look up care teams and grants). */
  readonly accessFor: (request: FastifyRequest) => AccessContext | Promise<AccessContext>;
}

interface TypeParams {
  type: string;
}
interface IdParams extends TypeParams {
  id: string;
}

function resourceType(type: string): string {
  if (!isR4ResourceType(type)) throw new CarelineError('not-found', [{ diagnostics: `${type} is not a FHIR R4 resource type.` }]);
  return type;
}

const HIDE = { schema: { hide: true } };

/**
 * The FHIR R4 REST API (https://hl7.org/fhir/R4/http.html) under /fhir/R4. Routes only translate
 * HTTP to FhirStore calls; every read and write goes through the store's access check.
 */
export async function fhirRoutes(app: FastifyInstance, { platform, store, accessFor }: FhirRouteOptions): Promise<void> {
  // application/fhir+json is JSON; JSON Patch has its own media type (RFC 6902 §6); _search takes forms.
  // Plain application/json is read the same way, so an empty body (a DELETE from some clients) is no error.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(['application/fhir+json', 'application/json', 'application/json-patch+json'], { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch (err) {
      const e = new CarelineError('invalid-json', [{ diagnostics: `The request body is not valid JSON: ${(err as Error).message}` }]);
      done(e, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => assertAcceptsJson(request));
  app.addHook('onSend', async (_request, reply) => {
    // Health data must not sit in shared or browser caches.
    void reply.header('cache-control', 'no-store');
  });

  const json = (reply: FastifyReply, status: number, body: unknown): FastifyReply => reply.code(status).type(FHIR_CONTENT_TYPE).send(body);

  app.get('/metadata', HIDE, async (request, reply) => json(reply, 200, capabilityStatement(baseUrl(request), platform.version)));

  const search = async (request: FastifyRequest<{ Params: TypeParams }>, reply: FastifyReply, formBody?: string): Promise<FastifyReply> => {
    const type = resourceType(request.params.type);
    const pairs = queryPairs(request, formBody);
    const req = parseQuery(type, pairs, { lenient: preferLenient(request), baseUrl: baseUrl(request) });
    const bundle = await store.search(await accessFor(request), req, { base: baseUrl(request), query: linkQuery(pairs) });
    return json(reply, 200, serializeBundle(bundle));
  };
  app.get<{ Params: TypeParams }>('/:type', HIDE, (request, reply) => search(request, reply));
  app.post<{ Params: TypeParams; Body: unknown }>('/:type/_search', HIDE, (request, reply) =>
    search(request, reply, typeof request.body === 'string' ? request.body : undefined),
  );

  app.post<{ Params: TypeParams; Body: unknown }>('/:type', HIDE, async (request, reply) => {
    const type = resourceType(request.params.type);
    const body = request.body as { resourceType?: unknown } | undefined;
    if (body?.resourceType !== type) {
      throw new CarelineError('bad-request', [{ diagnostics: `The body must be a ${type} resource.`, expression: ['resourceType'] }]);
    }
    const ifNoneExist = request.headers['if-none-exist'];
    const ctx = await accessFor(request);
    if (typeof ifNoneExist === 'string' && ifNoneExist.length > 0) {
      const { result, created } = await store.conditionalCreate(ctx, body, ifNoneExist.replace(/^[^?]*\?/, ''));
      return sendVersion(request, reply, result, created ? 201 : 200, { location: true, outcome: created ? 'Created.' : 'A matching resource exists.' });
    }
    const result = await store.create(ctx, body);
    return sendVersion(request, reply, result, 201, { location: true, outcome: 'Created.' });
  });

  app.get<{ Params: IdParams }>('/:type/:id', HIDE, async (request, reply) => {
    const v = await store.read(await accessFor(request), resourceType(request.params.type), request.params.id);
    return sendVersion(request, reply, v, 200);
  });

  app.put<{ Params: IdParams; Body: unknown }>('/:type/:id', HIDE, async (request, reply) => {
    const version = ifMatchVersion(request);
    const { result, created } = await store.update(
      await accessFor(request),
      resourceType(request.params.type),
      request.params.id,
      request.body,
      version === undefined ? {} : { ifMatchVersion: version },
    );
    return sendVersion(request, reply, result, created ? 201 : 200, { location: created, outcome: created ? 'Created.' : 'Updated.' });
  });

  app.put<{ Params: TypeParams; Body: unknown }>('/:type', HIDE, async (request, reply) => {
    const type = resourceType(request.params.type);
    const criteria = linkQuery(queryPairs(request));
    const { result, created } = await store.conditionalUpdate(await accessFor(request), type, criteria, request.body);
    return sendVersion(request, reply, result, created ? 201 : 200, { location: created, outcome: created ? 'Created.' : 'Updated.' });
  });

  app.patch<{ Params: IdParams; Body: unknown }>('/:type/:id', HIDE, async (request, reply) => {
    const type = resourceType(request.params.type);
    if (!request.headers['content-type']?.startsWith('application/json-patch+json')) {
      throw new CarelineError('unsupported-media-type', [{ diagnostics: 'PATCH takes a JSON Patch document (application/json-patch+json).' }]);
    }
    const version = ifMatchVersion(request);
    const result = await store.patch(await accessFor(request), type, request.params.id, request.body, version === undefined ? {} : { ifMatchVersion: version });
    return sendVersion(request, reply, result, 200, { outcome: 'Patched.' });
  });

  app.delete<{ Params: IdParams }>('/:type/:id', HIDE, async (request, reply) => {
    const version = ifMatchVersion(request);
    await store.delete(await accessFor(request), resourceType(request.params.type), request.params.id, version === undefined ? {} : { ifMatchVersion: version });
    return deleted(request, reply);
  });

  app.delete<{ Params: TypeParams }>('/:type', HIDE, async (request, reply) => {
    const type = resourceType(request.params.type);
    await store.conditionalDelete(await accessFor(request), type, linkQuery(queryPairs(request)));
    return deleted(request, reply);
  });

  const history = async (request: FastifyRequest, reply: FastifyReply, type?: string, id?: string): Promise<FastifyReply> => {
    const bundle = await store.history(await accessFor(request), {
      ...(type ? { resourceType: resourceType(type) } : {}),
      ...(id ? { id } : {}),
      pairs: queryPairs(request),
      base: baseUrl(request),
    });
    return json(reply, 200, bundle);
  };
  app.get('/_history', HIDE, (request, reply) => history(request, reply));
  app.get<{ Params: TypeParams }>('/:type/_history', HIDE, (request, reply) => history(request, reply, request.params.type));
  app.get<{ Params: IdParams }>('/:type/:id/_history', HIDE, (request, reply) => history(request, reply, request.params.type, request.params.id));
  app.get<{ Params: IdParams & { vid: string } }>('/:type/:id/_history/:vid', HIDE, async (request, reply) => {
    const v = await store.vread(await accessFor(request), resourceType(request.params.type), request.params.id, request.params.vid);
    return sendVersion(request, reply, v, 200);
  });

  app.post<{ Body: unknown }>('/', HIDE, async (request, reply) => json(reply, 200, await processBundle(store, platform.db, await accessFor(request), request.body, baseUrl(request))));

  app.get<{ Params: { id: string } }>('/Patient/:id/$everything', HIDE, async (request, reply) => {
    const bundle = await store.everything(await accessFor(request), request.params.id, queryPairs(request), baseUrl(request));
    return json(reply, 200, bundle);
  });
}

function deleted(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (preferReturn(request) === 'OperationOutcome') {
    return reply.code(200).type(FHIR_CONTENT_TYPE).send({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'Deleted.' }] });
  }
  return reply.code(204).send();
}
