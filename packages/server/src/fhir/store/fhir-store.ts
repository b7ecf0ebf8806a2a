import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { dataAccessRecord, type AuditRecord } from '../../platform/audit/audit-event.js';
import type { AuditLog, DataAccessEvent, DataInteraction } from '../../platform/audit/audit-log.js';
import type { RealtimeBus } from '../../platform/realtime/bus.js';
import { auditAgent, ORGANIZATION_TAG_SYSTEM, type AccessContext } from '../access/access-policy.js';
import { extractIndex } from '../search-index/extract-index.js';
import { FhirRepository, type NewVersion, type StoredVersion, type WriteMethod } from '../storage/fhir-repository.js';
import { validateResource } from '../validation/validate-resource.js';
import { applyJsonPatch } from './apply-json-patch.js';
import { criteriaKey, findMatches } from './find-matches.js';
import { FHIR_ID, type FhirResource, type VersionedResource } from './resource-types.js';
import { patientEverything } from './patient-everything.js';
import { readHistory, type HistoryParams } from './read-history.js';
import { searchResources, type SearchBundle, type SearchLinks } from './search-resources.js';
import type { SearchRequest } from '../search/search-request.js';

/** Published on the realtime bus after every committed write (the change feed). */
export const FHIR_CHANGE_TOPIC = 'fhir.change';
export interface FhirChange {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly method: WriteMethod;
  readonly compartments: readonly string[];
}

export interface WriteOptions {
  /** If-Match: the version the caller last saw (https://hl7.org/fhir/R4/http.html#concurrency). */
  readonly ifMatchVersion?: number;
  /** The id was chosen by this server (not the client), so refusing the create reveals nothing. */
  readonly serverAssignedId?: boolean;
}

/** The AuditEvent of a successful write, for the write's own statement. */
function writeRecord(ctx: AccessContext, interaction: DataInteraction, reference: string, compartments: readonly string[]): AuditRecord {
  return dataAccessRecord({ interaction, outcome: 'success', who: auditAgent(ctx), patients: compartments, entity: reference });
}

function notFound(resourceType: string, id: string): CarelineError {
  return new CarelineError('not-found', [{ diagnostics: `${resourceType}/${id} is not known.` }]);
}

export function toVersioned(v: StoredVersion): VersionedResource {
  return { resource: JSON.parse(v.content) as FhirResource, versionId: v.versionId, lastUpdated: v.lastUpdated, json: v.content };
}

/** Orders resourceType, id, meta first, as FHIR servers conventionally serve them. */
function serialise(resource: FhirResource, id: string, versionId: number, lastUpdated: Date): { resource: FhirResource; json: string } {
  const { resourceType, id: _id, meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...keptMeta } = meta ?? {};
  const out: FhirResource = { resourceType, id, meta: { ...keptMeta, versionId: String(versionId), lastUpdated: lastUpdated.toISOString() }, ...rest };
  return { resource: out, json: JSON.stringify(out) };
}

/**
 * The one door to FHIR data. Every capability and the REST API read and write resources only
 * through this class; each call asks the caller's AccessPolicy, so no path can forget the check.
 * A resource the caller may not read answers 404, exactly as if it did not exist.
 */
export class FhirStore {
  private readonly repo: FhirRepository;
  private readonly committed = new EventEmitter<{ change: [FhirChange] }>();
  private readonly writeHooks = new Map<string, (resource: FhirResource) => FhirResource>();
  /** Failure events recorded while a transaction held the connection, awaited once it has ended. */
  private readonly pendingFailures = new WeakMap<object, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly bus: RealtimeBus,
    /** Every access through this door is recorded here (reads batched, writes in their own statement). */
    private readonly audit: AuditLog,
    private readonly onPublishError: (err: Error) => void = () => undefined,
    /** This server's public FHIR base: absolute references to it index (and place compartments) as Type/id. */
    private readonly serverBase?: string,
  ) {
    this.repo = new FhirRepository(db);
  }

  /** Index rows of the resource as it will be stored (with its id and lastUpdated, so _lastUpdated rows are true). */
  private index(resource: FhirResource, id: string, lastUpdated: Date): ReturnType<typeof extractIndex> {
    const stored = { ...resource, id, meta: { ...resource.meta, lastUpdated: lastUpdated.toISOString() } };
    const extracted = extractIndex(stored, this.serverBase ? { serverBase: this.serverBase } : {});
    const owners = organizationCompartments(resource);
    return owners.length === 0 ? extracted : { rows: extracted.rows, compartments: [...extracted.compartments, ...owners] };
  }

  /** The caller's policy sets server-owned fields (see AccessPolicy.prepareWrite). */
  private prepare(ctx: AccessContext, resource: FhirResource, before: string | undefined): FhirResource {
    if (!ctx.policy.prepareWrite) return resource;
    return ctx.policy.prepareWrite(resource, before === undefined ? undefined : (JSON.parse(before) as FhirResource)) as FhirResource;
  }

  /** Validates and normalises a resource body for a write; throws 400 with the element's path. */
  validate(input: unknown, expectedType?: string): FhirResource {
    const result = validateResource(input);
    if (!result.ok) {
      throw new CarelineError('validation-failed', result.issues.map((i) => ({ diagnostics: i.diagnostics, expression: i.expression })));
    }
    const validated = result.resource as FhirResource;
    const hook = this.writeHooks.get(validated.resourceType);
    const resource = hook ? hook(validated) : validated;
    if (expectedType && resource.resourceType !== expectedType) {
      throw new CarelineError('bad-request', [
        { diagnostics: `The body is a ${resource.resourceType}, but the URL names ${expectedType}.`, expression: ['resourceType'] },
      ]);
    }
    return resource;
  }

  async create(ctx: AccessContext, input: unknown, q: Queryable = this.db): Promise<VersionedResource> {
    return this.createValidated(ctx, this.validate(input), q);
  }

  /** Create of an already validated resource; publishes only when not inside a caller's transaction. */
  async createValidated(ctx: AccessContext, input: FhirResource, q: Queryable = this.db, id: string = randomUUID()): Promise<VersionedResource> {
    const lastUpdated = new Date();
    const resource = this.prepare(ctx, input, undefined);
    const { rows, compartments } = this.index(resource, id, lastUpdated);
    if (!ctx.policy.canCreate({ resourceType: resource.resourceType, id, compartments, resource })) {
      const err = new CarelineError('forbidden', [{ diagnostics: `You may not create ${resource.resourceType} resources here.` }]);
      throw await this.failure(ctx, 'create', resource.resourceType, compartments, 'denied', q, err);
    }
    const out = serialise(resource, id, 1, lastUpdated);
    const own = q === this.db;
    const audit = writeRecord(ctx, 'create', `${resource.resourceType}/${id}`, compartments);
    const change: FhirChange = { resourceType: resource.resourceType, id, versionId: 1, method: 'POST', compartments };
    // Alone (autocommit), the change-feed NOTIFY rides in the INSERT itself: one round trip per create.
    const notify = own ? this.bus.inlineNotification(FHIR_CHANGE_TOPIC, change) : undefined;
    await this.repo.withQueryable(q).insertNew({
      resourceType: resource.resourceType, id, versionId: 1, lastUpdated, content: out.json, method: 'POST', index: rows, compartments, notify, audit,
    });
    if (own) {
      if (notify) this.committed.emit('change', change);
      else this.publish(change);
    }
    return { resource: out.resource, versionId: 1, lastUpdated, json: out.json, compartments };
  }

  /** Checks and indexes a create for insertPrepared (bundles write many creates in one statement). */
  prepareCreate(ctx: AccessContext, input: FhirResource, id: string, lastUpdated: Date): PreparedCreate {
    const resource = this.prepare(ctx, input, undefined);
    const { rows, compartments } = this.index(resource, id, lastUpdated);
    if (!ctx.policy.canCreate({ resourceType: resource.resourceType, id, compartments, resource })) {
      // Runs inside the bundle's transaction: the failure event is written once the connection is free.
      void this.recordFailure(ctx, 'create', resource.resourceType, compartments, 'denied');
      throw new CarelineError('forbidden', [{ diagnostics: `You may not create ${resource.resourceType} resources here.` }]);
    }
    const out = serialise(resource, id, 1, lastUpdated);
    const audit = writeRecord(ctx, 'create', `${resource.resourceType}/${id}`, compartments);
    return {
      version: { resourceType: resource.resourceType, id, versionId: 1, lastUpdated, content: out.json, method: 'POST', index: rows, compartments, audit },
      result: { resource: out.resource, versionId: 1, lastUpdated, json: out.json, compartments },
    };
  }

  /** Inserts prepared creates in one statement inside the caller's transaction (publishing is the caller's). */
  async insertPrepared(prepared: readonly PreparedCreate[], q: Queryable): Promise<VersionedResource[]> {
    await this.repo.withQueryable(q).insertMany(prepared.map((p) => p.version));
    return prepared.map((p) => p.result);
  }

  async read(ctx: AccessContext, resourceType: string, id: string, q: Queryable = this.db): Promise<VersionedResource> {
    const versioned = await this.readChecked(ctx, resourceType, id, q, 'read');
    await this.recordReads(ctx, q, [{ interaction: 'read', patients: versioned.compartments ?? [], entity: `${resourceType}/${id}` }]);
    return versioned;
  }

  /** read's checks, recording failures (as `interaction`) but not the success: the caller records that. */
  private async readChecked(ctx: AccessContext, resourceType: string, id: string, q: Queryable, interaction: DataInteraction): Promise<VersionedResource> {
    const ref = `${resourceType}/${id}`;
    if (!FHIR_ID.test(id)) throw notFound(resourceType, id);
    const current = await this.repo.withQueryable(q).readCurrent(resourceType, id);
    if (!current) throw await this.failure(ctx, interaction, ref, [], 'not-found', q, notFound(resourceType, id));
    const versioned = { ...toVersioned(current), compartments: current.compartments };
    if (!ctx.policy.canRead({ resourceType, id, compartments: current.compartments })) {
      throw await this.failure(ctx, interaction, ref, current.compartments, 'denied', q, notFound(resourceType, id));
    }
    if (current.deleted) {
      const gone = new CarelineError('gone', [{ diagnostics: `${resourceType}/${id} was deleted.` }], {
        etag: `W/"${current.versionId}"`,
        'last-modified': current.lastUpdated.toUTCString(),
      });
      throw await this.failure(ctx, interaction, ref, current.compartments, 'gone', q, gone);
    }
    return versioned;
  }

  /** q: a bundle's transaction. Reading outside it would wait forever on PGlite, whose one connection the transaction holds. */
  async vread(ctx: AccessContext, resourceType: string, id: string, versionId: string, q: Queryable = this.db): Promise<VersionedResource> {
    const n = /^\d{1,15}$/.test(versionId) ? Number(versionId) : NaN;
    if (!FHIR_ID.test(id) || !Number.isFinite(n)) throw notFound(resourceType, id);
    // Access is judged on the current version: who may not see the resource sees none of its history.
    const current = await this.readAllowingDeleted(ctx, resourceType, id, q);
    const ref = `${resourceType}/${id}/_history/${versionId}`;
    const v = await this.repo.withQueryable(q).readVersion(resourceType, id, n);
    if (!v) {
      const err = new CarelineError('not-found', [{ diagnostics: `${resourceType}/${id} has no version ${versionId}.` }]);
      throw await this.failure(ctx, 'vread', ref, current.compartments, 'not-found', q, err);
    }
    if (v.deleted) {
      const err = new CarelineError('gone', [{ diagnostics: `Version ${versionId} of ${resourceType}/${id} is a deletion.` }]);
      throw await this.failure(ctx, 'vread', ref, current.compartments, 'gone', q, err);
    }
    await this.recordReads(ctx, q, [{ interaction: 'vread', patients: current.compartments, entity: ref }]);
    return toVersioned(v);
  }

  /**
   * PUT: update, or create with the client's id when none exists (update-as-create,
   * https://hl7.org/fhir/R4/http.html#upsert). Returns whether it created.
   */
  async update(ctx: AccessContext, resourceType: string, id: string, input: unknown, options: WriteOptions = {}, q?: Queryable): Promise<{ result: VersionedResource; created: boolean }> {
    const resource = this.validate(input, resourceType);
    if (resource.id !== id) {
      throw new CarelineError('bad-request', [{ diagnostics: `The body's id (${String(resource.id)}) must equal the id in the URL (${id}).`, expression: [`${resourceType}.id`] }]);
    }
    if (!FHIR_ID.test(id)) throw new CarelineError('bad-request', [{ diagnostics: `"${id}" is not a valid FHIR id.`, expression: [`${resourceType}.id`] }]);
    const run = async (tx: Queryable) => this.writeNext(ctx, tx, resource, 'PUT', options);
    const out = q ? await run(q) : await this.settled(() => this.db.transaction(run));
    if (!q) this.publish(out.change);
    return { result: out.result, created: out.created };
  }

  /** Deletes; resolves to the change (undefined when nothing was there), published unless inside q. */
  async delete(ctx: AccessContext, resourceType: string, id: string, options: WriteOptions = {}, q?: Queryable): Promise<FhirChange | undefined> {
    if (!FHIR_ID.test(id)) return undefined;
    const run = async (tx: Queryable): Promise<FhirChangeOrNone> => {
      const repo = this.repo.withQueryable(tx);
      const current = await repo.readCurrent(resourceType, id, true);
      // Deleting what does not exist (or is already gone) succeeds: https://hl7.org/fhir/R4/http.html#delete
      if (!current || current.deleted) return undefined;
      const compartments = current.compartments;
      if (!ctx.policy.canRead({ resourceType, id, compartments })) {
        // Answered like a deletion of nothing (204), so that it reveals nothing; still recorded as refused.
        void this.recordFailure(ctx, 'delete', `${resourceType}/${id}`, compartments, 'denied');
        return undefined;
      }
      // The stored resource too, so a policy can protect what it holds (e.g. a signed note).
      if (!ctx.policy.canDelete({ resourceType, id, compartments, resource: JSON.parse(current.content) as FhirResource })) {
        const err = new CarelineError('forbidden', [{ diagnostics: `You may not delete ${resourceType}/${id}.` }]);
        throw await this.failure(ctx, 'delete', `${resourceType}/${id}`, compartments, 'denied', tx, err);
      }
      this.checkIfMatch(options, current.versionId);
      const versionId = current.versionId + 1;
      const audit = writeRecord(ctx, 'delete', `${resourceType}/${id}`, compartments);
      await repo.writeVersion({
        resourceType, id, versionId, lastUpdated: new Date(), content: current.content, method: 'DELETE', index: [], compartments, deleted: true, audit,
      });
      return { resourceType, id, versionId, method: 'DELETE', compartments };
    };
    const change = q ? await run(q) : await this.settled(() => this.db.transaction(run));
    if (!q && change) this.publish(change);
    return change;
  }

  /**
   * Conditional create (If-None-Exist): 0 matches → create (201), 1 → the existing one (200),
   * several → 412. Concurrent identical requests are serialised on the criteria, so exactly one creates.
   * newId: the id to create with (a transaction assigns it up front for its urn:uuid references).
   */
  async conditionalCreate(ctx: AccessContext, input: unknown, criteria: string, q?: Queryable, newId?: string): Promise<{ result: VersionedResource; created: boolean }> {
    const resource = this.validate(input);
    const run = async (tx: Queryable): Promise<{ result: VersionedResource; created: boolean }> => {
      const repo = this.repo.withQueryable(tx);
      await repo.lockKey(criteriaKey(resource.resourceType, criteria));
      const matches = await findMatches(tx, ctx, resource.resourceType, criteria, 2);
      if (matches.length > 1) throw new CarelineError('precondition-failed', [{ diagnostics: `If-None-Exist matches more than one ${resource.resourceType}.` }]);
      const match = matches[0];
      if (match) {
        // The caller receives the matching resource: recorded as a read of it, in this transaction.
        await this.recordReads(ctx, tx, [{ interaction: 'read', patients: match.compartments, entity: `${match.resourceType}/${match.id}` }]);
        return { result: toVersioned({ ...match, deleted: false }), created: false };
      }
      return { result: await this.createValidated(ctx, resource, tx, newId), created: true };
    };
    const out = q ? await run(q) : await this.settled(() => this.db.transaction(run));
    if (!q && out.created) this.publishCreated(out.result);
    return out;
  }

  /** Conditional update (PUT Type?criteria): 0 → create, 1 → update it, several → 412. */
  async conditionalUpdate(ctx: AccessContext, resourceType: string, criteria: string, input: unknown, q?: Queryable): Promise<{ result: VersionedResource; created: boolean }> {
    const resource = this.validate(input, resourceType);
    const run = async (tx: Queryable): Promise<{ result: VersionedResource; created: boolean; change: FhirChange }> => {
      await this.repo.withQueryable(tx).lockKey(criteriaKey(resourceType, criteria));
      const matches = await findMatches(tx, ctx, resourceType, criteria, 2);
      if (matches.length > 1) throw new CarelineError('precondition-failed', [{ diagnostics: `The criteria match more than one ${resourceType}.` }]);
      const match = matches[0];
      if (match && resource.id !== undefined && resource.id !== match.id) {
        throw new CarelineError('bad-request', [{ diagnostics: `The body's id (${resource.id}) is not the id of the matching resource.`, expression: [`${resourceType}.id`] }]);
      }
      const id = match?.id ?? resource.id ?? randomUUID();
      return this.writeNext(ctx, tx, { ...resource, id }, 'PUT', { serverAssignedId: !match && resource.id === undefined });
    };
    const out = q ? await run(q) : await this.settled(() => this.db.transaction(run));
    if (!q) this.publish(out.change);
    return { result: out.result, created: out.created };
  }

  /** Conditional delete (DELETE Type?criteria): deletes the one match; several → 412. */
  async conditionalDelete(ctx: AccessContext, resourceType: string, criteria: string, q?: Queryable): Promise<void> {
    // Serialise with conditional creates/updates on the same criteria.
    const lock = async (tx: Queryable): Promise<void> => this.repo.withQueryable(tx).lockKey(criteriaKey(resourceType, criteria));
    const run = async (tx: Queryable): Promise<string | undefined> => {
      const matches = await findMatches(tx, ctx, resourceType, criteria, 2);
      if (matches.length > 1) throw new CarelineError('precondition-failed', [{ diagnostics: `The criteria match more than one ${resourceType}.` }]);
      return matches[0]?.id;
    };
    const inTx = async (tx: Queryable): Promise<FhirChange | undefined> => {
      await lock(tx);
      const id = await run(tx);
      return id ? this.delete(ctx, resourceType, id, {}, tx) : undefined;
    };
    const change = q ? await inTx(q) : await this.settled(() => this.db.transaction(inTx));
    if (!q && change) this.publish(change);
  }

  private publishCreated(v: VersionedResource): void {
    const r = v.resource;
    this.publish({ resourceType: r.resourceType, id: String(r.id), versionId: v.versionId, method: 'POST', compartments: this.index(r, String(r.id), v.lastUpdated).compartments });
  }

  /** JSON Patch (RFC 6902, https://hl7.org/fhir/R4/http.html#patch); the result must still validate. */
  async patch(ctx: AccessContext, resourceType: string, id: string, operations: unknown, options: WriteOptions = {}, q?: Queryable): Promise<VersionedResource> {
    const run = async (tx: Queryable): Promise<{ result: VersionedResource; change: FhirChange }> => {
      const current = await this.repo.withQueryable(tx).readCurrent(resourceType, id, true);
      const ref = `${resourceType}/${id}`;
      if (!current) throw await this.failure(ctx, 'patch', ref, [], 'not-found', tx, notFound(resourceType, id));
      if (!ctx.policy.canRead({ resourceType, id, compartments: current.compartments })) {
        throw await this.failure(ctx, 'patch', ref, current.compartments, 'denied', tx, notFound(resourceType, id));
      }
      if (current.deleted) throw new CarelineError('gone', [{ diagnostics: `${resourceType}/${id} was deleted.` }]);
      this.checkIfMatch(options, current.versionId);
      const patched = applyJsonPatch(JSON.parse(current.content) as FhirResource, operations);
      const resource = this.validate(patched, resourceType);
      if (resource.id !== id) throw new CarelineError('bad-request', [{ diagnostics: 'A patch may not change the id.', expression: [`${resourceType}.id`] }]);
      const out = await this.writeNext(ctx, tx, resource, 'PATCH', {});
      return { result: out.result, change: out.change };
    };
    const out = q ? await run(q) : await this.settled(() => this.db.transaction(run));
    if (!q) this.publish(out.change);
    return out.result;
  }

  /**
   * A capability's rule for one resource type, run on every write after structural validation
   * (it may normalise, or throw a CarelineError). One per type.
   */
  addWriteHook(resourceType: string, hook: (resource: FhirResource) => FhirResource): void {
    if (this.writeHooks.has(resourceType)) throw new Error(`a write hook for ${resourceType} exists already`);
    this.writeHooks.set(resourceType, hook);
  }

  /** Local, in-process notification after each commit made by this instance (subscriptions use it). */
  onCommitted(listener: (change: FhirChange) => void): () => void {
    this.committed.on('change', listener);
    return () => this.committed.off('change', listener);
  }

  /** For callers that manage their own transaction (bundles): publish after commit. */
  publish(change: FhirChange): void {
    this.committed.emit('change', change);
    this.bus.publish(FHIR_CHANGE_TOPIC, change).catch((err: unknown) => this.onPublishError(err as Error));
  }

  private async readAllowingDeleted(ctx: AccessContext, resourceType: string, id: string, q: Queryable): Promise<StoredVersion> {
    const current = await this.repo.withQueryable(q).readCurrent(resourceType, id);
    if (!current) throw await this.failure(ctx, 'vread', `${resourceType}/${id}`, [], 'not-found', q, notFound(resourceType, id));
    if (!ctx.policy.canRead({ resourceType, id, compartments: current.compartments })) {
      throw await this.failure(ctx, 'vread', `${resourceType}/${id}`, current.compartments, 'denied', q, notFound(resourceType, id));
    }
    return current;
  }

  /** Search (https://hl7.org/fhir/R4/search.html), recorded with the patients of every returned resource, includes too. */
  async search(ctx: AccessContext, req: SearchRequest, links: SearchLinks, q: Queryable = this.db): Promise<SearchBundle> {
    const touched: string[] = [];
    const bundle = await searchResources(q, ctx, req, links, (rows) => {
      for (const r of rows) touched.push(...r.compartments);
    });
    await this.recordReads(ctx, q, [{ interaction: 'search-type', patients: touched, entity: req.resourceType }]);
    return bundle;
  }

  /** Instance, type or system history, recorded with the patients of the returned versions. */
  async history(ctx: AccessContext, params: HistoryParams, q: Queryable = this.db): Promise<Record<string, unknown>> {
    const interaction: DataInteraction = params.id ? 'history-instance' : params.resourceType ? 'history-type' : 'history-system';
    const entity = params.resourceType && params.id ? `${params.resourceType}/${params.id}` : params.resourceType;
    const touched: string[] = [];
    let bundle: Record<string, unknown>;
    try {
      bundle = await readHistory(q, ctx, params, (rows) => {
        for (const r of rows) touched.push(...r.compartments);
      });
    } catch (err) {
      if (err instanceof CarelineError && err.code === 'not-found') throw await this.failure(ctx, interaction, entity ?? '', [], 'not-found', q, err);
      throw err;
    }
    await this.recordReads(ctx, q, [{ interaction, patients: touched, entity }]);
    return bundle;
  }

  /** Patient/$everything, recorded as one Patient Record event with every patient its resources concern. */
  async everything(ctx: AccessContext, patientId: string, pairs: readonly (readonly [string, string])[], base: string, q: Queryable = this.db): Promise<Record<string, unknown>> {
    const touched = [`Patient/${patientId}`];
    const bundle = await patientEverything(
      () => this.readChecked(ctx, 'Patient', patientId, q, 'everything'),
      q,
      ctx,
      patientId,
      pairs,
      base,
      (rows) => {
        for (const r of rows) touched.push(...r.compartments);
      },
    );
    await this.recordReads(ctx, q, [{ interaction: 'everything', patients: touched, entity: `Patient/${patientId}` }]);
    return bundle;
  }

  /**
   * Records successful reads before the caller answers (fail closed): inside the caller's
   * transaction when there is one, otherwise batched with concurrent requests' events.
   */
  private async recordReads(ctx: AccessContext, q: Queryable, reads: readonly Omit<DataAccessEvent, 'who' | 'outcome'>[]): Promise<void> {
    if (ctx.audit === false) return;
    const who = auditAgent(ctx);
    await this.audit.access(reads.map((r) => ({ ...r, who, outcome: 'success' })), q === this.db ? undefined : q);
  }

  /**
   * Records a refused or failed access and returns `err` for the caller to throw. Never inside a
   * transaction (it is about to roll back): outside one (q is the database) it is awaited; inside,
   * it waits for the connection and the public method awaits it after the rollback (see settled).
   */
  private async failure(ctx: AccessContext, interaction: DataInteraction, reference: string, compartments: readonly string[], detail: string, q: Queryable, err: CarelineError): Promise<CarelineError> {
    if (ctx.audit === false && isRead(interaction)) return err;
    const pending = this.recordFailure(ctx, interaction, reference, compartments, detail);
    if (q === this.db) await pending;
    else this.pendingFailures.set(err, pending);
    return err;
  }

  private recordFailure(ctx: AccessContext, interaction: DataInteraction, reference: string, compartments: readonly string[], detail: string): Promise<void> {
    const event: DataAccessEvent = { interaction, outcome: 'failure', who: auditAgent(ctx), patients: compartments, entity: reference, detail };
    const pending = this.audit.access([event]);
    // Also awaited by settled() when the store owns the transaction; otherwise only logged.
    pending.catch((e: unknown) => this.onPublishError(e as Error));
    return pending;
  }

  /** Runs a write the store owns the transaction of; a failure recorded inside it is awaited before the error propagates. */
  private async settled<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const pending = err !== null && typeof err === 'object' ? this.pendingFailures.get(err) : undefined;
      if (pending) await pending;
      throw err;
    }
  }

  private checkIfMatch(options: WriteOptions, currentVersion: number | undefined): void {
    if (options.ifMatchVersion !== undefined && options.ifMatchVersion !== currentVersion) {
      throw new CarelineError('precondition-failed', [
        { diagnostics: `If-Match names version ${options.ifMatchVersion}, but the current version is ${currentVersion ?? 'none'}.` },
      ]);
    }
  }

  /** Writes the next version of resource (which carries its id) inside tx. */
  async writeNext(ctx: AccessContext, tx: Queryable, input: FhirResource, method: WriteMethod, options: WriteOptions): Promise<{ result: VersionedResource; created: boolean; change: FhirChange }> {
    const resourceType = input.resourceType;
    const id = input.id ?? '';
    const repo = this.repo.withQueryable(tx);
    let current = await repo.readCurrent(resourceType, id, true);
    if (!current && method === 'PUT') {
      // Writers creating the same client-chosen id (update-as-create) have no row to lock yet, and
      // all but one would fail on the primary key (a 500). Serialise them on the id instead: the
      // one that waited re-reads (a new snapshot under READ COMMITTED), finds the row the other
      // committed, and updates it. Only PUT: ids a transaction assigns itself are fresh UUIDs, and
      // a lock each would fill PostgreSQL's lock table on a 1000-entry Bundle.
      await repo.lockKey(`fhir-id:${resourceType}/${id}`);
      current = await repo.readCurrent(resourceType, id, true);
    }
    const lastUpdated = new Date();
    // A deleted resource's content is its last live version: a re-create does not inherit from it.
    const resource = this.prepare(ctx, input, current && !current.deleted ? current.content : undefined);
    const { rows, compartments } = this.index(resource, id, lastUpdated);
    if (!current) {
      this.checkIfMatch(options, undefined);
      if (!ctx.policy.canCreate({ resourceType, id, compartments, resource })) {
        // A caller who may not create at a client-chosen id learns nothing about whether it exists:
        // the same 404 as for an existing resource hidden from them.
        const err = method === 'PUT' && !options.serverAssignedId
          ? notFound(resourceType, id)
          : new CarelineError('forbidden', [{ diagnostics: `You may not create ${resourceType} resources here.` }]);
        throw await this.failure(ctx, 'create', `${resourceType}/${id}`, compartments, 'denied', tx, err);
      }
      const out = serialise(resource, id, 1, lastUpdated);
      const audit = writeRecord(ctx, 'create', `${resourceType}/${id}`, compartments);
      await repo.insertNew({ resourceType, id, versionId: 1, lastUpdated, content: out.json, method, index: rows, compartments, audit });
      return { result: { resource: out.resource, versionId: 1, lastUpdated, json: out.json, compartments }, created: true, change: { resourceType, id, versionId: 1, method, compartments } };
    }
    const before = current.compartments;
    const interaction: DataInteraction = current.deleted ? 'create' : method === 'PATCH' ? 'patch' : 'update';
    const ref = `${resourceType}/${id}`;
    if (!ctx.policy.canRead({ resourceType, id, compartments: before })) {
      throw await this.failure(ctx, interaction, ref, before, 'denied', tx, notFound(resourceType, id));
    }
    // The stored version too, so a policy can check who authored what is being changed.
    const stored = current.deleted ? undefined : (JSON.parse(current.content) as FhirResource);
    if (!ctx.policy.canUpdate({ resourceType, id, compartments: before, ...(stored ? { resource: stored } : {}) }, { resourceType, id, compartments, resource })) {
      const err = new CarelineError('forbidden', [{ diagnostics: `You may not change ${resourceType}/${id}.` }]);
      throw await this.failure(ctx, interaction, ref, [...before, ...compartments], 'denied', tx, err);
    }
    this.checkIfMatch(options, current.versionId);
    const versionId = current.versionId + 1;
    const out = serialise(resource, id, versionId, lastUpdated);
    // Both the patients it was about and those it is now about (a subject changed is an access to both).
    const audit = writeRecord(ctx, interaction, ref, [...before, ...compartments]);
    await repo.writeVersion({ resourceType, id, versionId, lastUpdated, content: out.json, method, index: rows, compartments, deleted: false, audit });
    return { result: { resource: out.resource, versionId, lastUpdated, json: out.json, compartments }, created: current.deleted, change: { resourceType, id, versionId, method, compartments } };
  }
}

type FhirChangeOrNone = FhirChange | undefined;

function isRead(interaction: DataInteraction): boolean {
  return !['create', 'update', 'patch', 'delete'].includes(interaction);
}

/** 'Organization/<id>' for each owning-organisation tag (ORGANIZATION_TAG_SYSTEM) on the resource. */
function organizationCompartments(resource: FhirResource): string[] {
  const tags: unknown = resource.meta?.tag;
  if (!Array.isArray(tags)) return [];
  const out: string[] = [];
  for (const t of tags as readonly { system?: unknown; code?: unknown }[]) {
    if (t.system === ORGANIZATION_TAG_SYSTEM && typeof t.code === 'string' && FHIR_ID.test(t.code)) out.push(`Organization/${t.code}`);
  }
  return out;
}

export interface PreparedCreate {
  readonly version: NewVersion;
  readonly result: VersionedResource;
}
