import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AccessContext } from '../access/access-policy.js';
import { isR4ResourceType } from '../definitions/search-parameters.js';
import { extractIndex } from '../search-index/extract-index.js';
import { serializeBundle } from './search-resources.js';
import { parseQuery } from './find-matches.js';
import type { FhirChange, FhirStore } from './fhir-store.js';
import type { VersionedResource } from './resource-types.js';

/** Entries in one Bundle, at most: bounds the work one request can ask for. */
const MAX_ENTRIES = 1000;

interface Entry {
  fullUrl?: string;
  resource?: unknown;
  request?: { method?: string; url?: string; ifNoneExist?: string; ifMatch?: string };
}

interface ResponseEntry {
  fullUrl?: string;
  resource?: unknown;
  response: { status: string; location?: string; etag?: string; lastModified?: string; outcome?: unknown };
}

function bad(i: number, message: string, element = 'request'): CarelineError {
  return new CarelineError('bad-request', [{ diagnostics: `Bundle.entry[${i}]: ${message}`, expression: [`Bundle.entry[${i}].${element}`] }]);
}

/** Replaces urn:uuid references (https://hl7.org/fhir/R4/bundle.html#references) with the ids assigned here. */
function rewriteReferences(value: unknown, map: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === 'reference' && typeof v === 'string' && map.has(v) ? map.get(v) : rewriteReferences(v, map);
    }
    return out;
  }
  return value;
}

function okEntry(base: string, v: VersionedResource, status: number): ResponseEntry {
  const type = v.resource.resourceType;
  const id = String(v.resource.id);
  return {
    fullUrl: `${base}/${type}/${id}`,
    resource: v.resource,
    response: { status: String(status), location: `${type}/${id}/_history/${v.versionId}`, etag: `W/"${v.versionId}"`, lastModified: v.lastUpdated.toISOString() },
  };
}

function change(v: VersionedResource, method: FhirChange['method']): FhirChange {
  return { resourceType: v.resource.resourceType, id: String(v.resource.id), versionId: v.versionId, method, compartments: v.compartments ?? extractIndex(v.resource).compartments };
}

const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/**
 * Processing rank within a transaction. Conditional creates run first among the POSTs: whether
 * they match an existing resource decides what their urn:uuid stands for, and the other entries'
 * references must be rewritten with that answer.
 */
function rank(e: Entry | undefined): number {
  const method = e?.request?.method ?? 'GET';
  const base = (ORDER[method] ?? 3) * 2;
  return method === 'POST' && e?.request?.ifNoneExist ? base - 1 : base;
}

/**
 * batch and transaction Bundles (https://hl7.org/fhir/R4/http.html#transaction). A transaction is
 * atomic — one database transaction, processed DELETE, POST, PUT/PATCH, GET — and any failure
 * fails all of it. Each batch entry stands alone. Every entry goes through the store's access check.
 */
export async function processBundle(store: FhirStore, db: Database, ctx: AccessContext, input: unknown, base: string): Promise<unknown> {
  const bundle = input as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (bundle?.resourceType !== 'Bundle') throw new CarelineError('bad-request', [{ diagnostics: 'POST to the base takes a Bundle.', expression: ['resourceType'] }]);
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
    throw new CarelineError('bad-request', [{ diagnostics: 'Bundle.type must be batch or transaction.', expression: ['Bundle.type'] }]);
  }
  const entries = (bundle.entry ?? []) as Entry[];
  if (!Array.isArray(entries)) throw new CarelineError('bad-request', [{ diagnostics: 'Bundle.entry must be an array.', expression: ['Bundle.entry'] }]);
  if (entries.length > MAX_ENTRIES) throw new CarelineError('payload-too-large', [{ diagnostics: `A Bundle may hold at most ${MAX_ENTRIES} entries.` }]);
  entries.forEach((e, i) => {
    if (e === null || typeof e !== 'object' || typeof e.request?.method !== 'string' || typeof e.request.url !== 'string') {
      throw bad(i, 'needs request.method and request.url.');
    }
    if (!Object.hasOwn(ORDER, e.request.method)) throw bad(i, `method ${e.request.method} is not supported.`, 'request.method');
    if (e.fullUrl !== undefined && typeof e.fullUrl !== 'string') throw bad(i, 'fullUrl must be a string.', 'fullUrl');
    for (const k of ['ifNoneExist', 'ifMatch'] as const) {
      if (e.request[k] !== undefined && typeof e.request[k] !== 'string') throw bad(i, `request.${k} must be a string.`, `request.${k}`);
    }
  });

  if (bundle.type === 'batch') {
    const out: ResponseEntry[] = [];
    for (let i = 0; i < entries.length; i++) {
      const changes: FhirChange[] = [];
      try {
        const entry = entries[i] as Entry;
        out.push(await db.transaction((tx) => runEntry(store, tx, ctx, entry, i, base, changes)));
        for (const c of changes) store.publish(c);
      } catch (err) {
        const e = err instanceof CarelineError ? err : new CarelineError('internal');
        out.push({ response: { status: String(e.status), outcome: e.toOperationOutcome() } });
      }
    }
    return { resourceType: 'Bundle', type: 'batch-response', entry: out };
  }

  // Transaction: assign ids to urn:uuid creates first, so every entry can refer to every other.
  const map = new Map<string, string>();
  const assigned = new Map<number, string>();
  entries.forEach((e, i) => {
    if (e.request?.method === 'POST' && e.fullUrl?.startsWith('urn:uuid:')) {
      const type = (e.resource as { resourceType?: unknown } | undefined)?.resourceType;
      if (typeof type !== 'string') throw bad(i, 'a POST needs a resource.', 'resource');
      const id = randomUUID();
      map.set(e.fullUrl, `${type}/${id}`);
      assigned.set(i, id);
    }
  });
  const order = entries.map((_, i) => i).sort((a, b) => rank(entries[a]) - rank(entries[b]));
  const changes: FhirChange[] = [];
  const results = await db.transaction(async (tx) => {
    const res: ResponseEntry[] = new Array<ResponseEntry>(entries.length);
    for (let k = 0; k < order.length; k++) {
      // Plain creates (fresh ids, no conditions) sit together in the order: write them as one statement.
      if (isPlainCreate(entries[order[k] ?? -1])) {
        const batch: number[] = [];
        while (k < order.length && isPlainCreate(entries[order[k] ?? -1])) batch.push(order[k++] ?? -1);
        k--;
        const lastUpdated = new Date();
        const prepared = batch.map((j) => {
          const e = entries[j] as Entry;
          try {
            const [type] = splitUrl(e.request?.url ?? '').path;
            if (!type || !isR4ResourceType(type)) throw bad(j, `"${e.request?.url ?? ''}" is not a resource URL.`, 'request.url');
            const resource = store.validate(e.resource === undefined ? undefined : rewriteReferences(e.resource, map), type);
            return store.prepareCreate(ctx, resource, assigned.get(j) ?? randomUUID(), lastUpdated);
          } catch (err) {
            throw entryError(err, j);
          }
        });
        const created = await store.insertPrepared(prepared, tx);
        batch.forEach((j, n) => {
          const v = created[n];
          if (!v) return;
          res[j] = okEntry(base, v, 201);
          changes.push(change(v, 'POST'));
        });
        continue;
      }
      const i = order[k] ?? -1;
      const e = entries[i] as Entry;
      const resolved: Entry = { ...e, resource: e.resource === undefined ? undefined : rewriteReferences(e.resource, map) };
      const done = await runEntry(store, tx, ctx, resolved, i, base, changes, assigned.get(i));
      res[i] = done;
      // A conditional create that matched answers with the existing resource: its urn:uuid names that one.
      const type = (done.resource as { resourceType?: unknown } | undefined)?.resourceType;
      const id = (done.resource as { id?: unknown } | undefined)?.id;
      if (e.fullUrl && map.has(e.fullUrl) && typeof type === 'string' && typeof id === 'string') map.set(e.fullUrl, `${type}/${id}`);
    }
    return res;
  });
  for (const c of changes) store.publish(c);
  return { resourceType: 'Bundle', type: 'transaction-response', entry: results };
}

/** A FHIR-transaction PATCH carries its JSON Patch as a Binary (https://hl7.org/fhir/R4/http.html#patch). */
function patchFromBinary(resource: unknown, i: number): unknown {
  const data = (resource as { data?: unknown }).data;
  try {
    if (typeof data !== 'string') throw new Error('no data');
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
  } catch {
    throw bad(i, 'the Binary must hold a JSON Patch document as base64 data.', 'resource');
  }
}

function splitUrl(url: string): { path: string[]; query: string } {
  const [path = '', query = ''] = url.split('?', 2);
  return { path: path.replace(/^\/+/, '').split('/').filter(Boolean), query };
}

async function runEntry(
  store: FhirStore,
  tx: Queryable,
  ctx: AccessContext,
  e: Entry,
  i: number,
  base: string,
  changes: FhirChange[],
  assignedId?: string,
): Promise<ResponseEntry> {
  const method = e.request?.method ?? '';
  const { path, query } = splitUrl(e.request?.url ?? '');
  const [type, id, ...rest] = path;
  if (!type || !isR4ResourceType(type) || rest.length > 2) throw bad(i, `"${e.request?.url ?? ''}" is not a resource URL.`, 'request.url');
  const ifMatch = e.request?.ifMatch ? /^(?:W\/)?"(\d+)"$/.exec(e.request.ifMatch)?.[1] : undefined;
  const options = ifMatch ? { ifMatchVersion: Number(ifMatch) } : {};
  try {
    switch (method) {
      case 'POST': {
        const resource = store.validate(e.resource, type);
        if (e.request?.ifNoneExist) {
          const out = await store.conditionalCreate(ctx, resource, e.request.ifNoneExist.replace(/^[^?]*\?/, ''), tx, assignedId);
          if (out.created) changes.push(change(out.result, 'POST'));
          return okEntry(base, out.result, out.created ? 201 : 200);
        }
        // A fresh id (assigned here for a urn:uuid, or new) cannot exist yet: one INSERT, no read first.
        const v = await store.createValidated(ctx, resource, tx, assignedId);
        changes.push(change(v, 'POST'));
        return okEntry(base, v, 201);
      }
      case 'PUT': {
        const out = id ? await store.update(ctx, type, id, e.resource, options, tx) : await store.conditionalUpdate(ctx, type, query, e.resource, tx);
        changes.push(change(out.result, 'PUT'));
        return okEntry(base, out.result, out.created ? 201 : 200);
      }
      case 'PATCH': {
        if (!id) throw bad(i, 'PATCH needs Type/id.', 'request.url');
        const ops = (e.resource as { resourceType?: string } | undefined)?.resourceType === 'Binary' ? patchFromBinary(e.resource, i) : e.resource;
        const v = await store.patch(ctx, type, id, ops, options, tx);
        changes.push(change(v, 'PATCH'));
        return okEntry(base, v, 200);
      }
      case 'DELETE': {
        const c = id ? await store.delete(ctx, type, id, options, tx) : (await store.conditionalDelete(ctx, type, query, tx), undefined);
        if (c) changes.push(c);
        return { response: { status: '204' } };
      }
      default: {
        if (id && rest.length === 0) return okEntry(base, await store.read(ctx, type, id, tx), 200);
        if (id && rest[0] === '_history' && rest[1]) return okEntry(base, await store.vread(ctx, type, id, rest[1], tx), 200);
        const req = parseQuery(type, [...new URLSearchParams(query)], { lenient: false, baseUrl: base });
        // Plain objects for the response Bundle (search entries otherwise carry stored JSON text).
        const found = JSON.parse(serializeBundle(await store.search(ctx, req, { base, query }, tx))) as unknown;
        return { resource: found, response: { status: '200' } };
      }
    }
  } catch (err) {
    throw entryError(err, i);
  }
}

/** Says which entry failed, keeping the original status so the client sees why. */
function entryError(err: unknown, i: number): unknown {
  if (!(err instanceof CarelineError)) return err;
  const first = err.toOperationOutcome().issue[0];
  return new CarelineError(err.code, [{ diagnostics: `Bundle.entry[${i}]: ${first?.diagnostics ?? err.message}`, expression: [`Bundle.entry[${i}]`] }], err.headers);
}

function isPlainCreate(e: Entry | undefined): boolean {
  return e?.request?.method === 'POST' && !e.request.ifNoneExist;
}

