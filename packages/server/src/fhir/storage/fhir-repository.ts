import type { Queryable } from '../../platform/db/database.js';
import type { IndexRow } from '../search-index/extract-index.js';
import { toIndexColumns } from './index-columns.js';
import { mainDateHigh } from './main-date.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AuditRecord } from '../../platform/audit/audit-event.js';
import { auditInsertCte, auditInsertParams } from '../../platform/audit/audit-repository.js';

/** One stored version of a resource, as the repository returns it. */
export interface StoredVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  readonly deleted: boolean;
  /** JSON text exactly as served (meta included); for a deleted version, the last live content. */
  readonly content: string;
  /** Patient compartments of the current version ([] for rows read from history). */
  readonly compartments: readonly string[];
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface NewVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  readonly content: string;
  readonly method: WriteMethod;
  readonly index: readonly IndexRow[];
  readonly compartments: readonly string[];
  /** A NOTIFY to send from the same statement (the change feed), delivered at commit. */
  readonly notify?: { readonly channel: string; readonly text: string } | undefined;
  /** The AuditEvent of this write, inserted by the same statement (so it commits with the change). */
  readonly audit?: AuditRecord | undefined;
}

interface VersionRow {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date;
  deleted: boolean;
  content: string;
  compartments?: string[];
}

function toStored(r: VersionRow): StoredVersion {
  return {
    resourceType: r.resource_type,
    id: r.id,
    versionId: r.version_id,
    lastUpdated: r.last_updated,
    deleted: r.deleted,
    content: r.content,
    compartments: r.compartments ?? [],
  };
}

// The three writes of a new resource in ONE statement (one round trip, atomic on its own):
// the current row, its history row, and all its search-index rows via unnest.
const INSERT_NEW = `
WITH cur AS (
  INSERT INTO fhir_resource (resource_type, id, version_id, last_updated, deleted, content, compartments)
  VALUES ($1, $2, $3, $4, false, $5, $6::text[])
  RETURNING id
), hist AS (
  INSERT INTO fhir_resource_history (resource_type, id, version_id, last_updated, deleted, method, content)
  VALUES ($1, $2, $3, $4, false, $7, $5)
), idx AS (
  INSERT INTO fhir_search (resource_type, resource_id, param, system, code, txt, low, high, num, ref, date_high)
  SELECT $1, $2, u.* FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::numeric[], $15::text[], $16::timestamptz[]) AS u
)
SELECT id FROM cur`;

const INSERT_MANY = `
WITH cur AS (
  INSERT INTO fhir_resource (resource_type, id, version_id, last_updated, deleted, content, compartments)
  SELECT u.t, u.i, 1, u.lu, false, u.c, ARRAY(SELECT jsonb_array_elements_text(u.cp::jsonb))
  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS u(t, i, lu, c, cp)
  RETURNING id
), hist AS (
  INSERT INTO fhir_resource_history (resource_type, id, version_id, last_updated, deleted, method, content)
  SELECT u.t, u.i, 1, u.lu, false, u.m, u.c FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $6::text[]) AS u(t, i, lu, c, m)
), idx AS (
  INSERT INTO fhir_search (resource_type, resource_id, param, system, code, txt, low, high, num, ref, date_high)
  SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::numeric[], $16::text[], $17::timestamptz[])
)
SELECT count(*) FROM cur`;

// The same, also sending the change-feed NOTIFY: one round trip for a whole create.
const INSERT_NEW_NOTIFY = INSERT_NEW.replace('SELECT id FROM cur', 'SELECT cur.id FROM cur CROSS JOIN (SELECT pg_notify($17, $18)) AS n');

/** The statement plus one more CTE inserting its audit rows (parameters from $first). */
function withAudit(sql: string, first: number): string {
  const at = sql.lastIndexOf('\nSELECT ');
  return `${sql.slice(0, at)}, ${auditInsertCte('aud', first)}${sql.slice(at)}`;
}

const INSERT_NEW_AUDIT = withAudit(INSERT_NEW, 17);
const INSERT_NEW_NOTIFY_AUDIT = withAudit(INSERT_NEW_NOTIFY, 19);
const INSERT_MANY_AUDIT = withAudit(INSERT_MANY, 18);

const UPDATE_CURRENT = `
WITH cur AS (
  UPDATE fhir_resource SET version_id = $3, last_updated = $4, deleted = $17, content = $5, compartments = $6::text[]
  WHERE resource_type = $1 AND id = $2
  RETURNING id
), hist AS (
  INSERT INTO fhir_resource_history (resource_type, id, version_id, last_updated, deleted, method, content)
  VALUES ($1, $2, $3, $4, $17, $7, $5)
), gone AS (
  DELETE FROM fhir_search WHERE resource_type = $1 AND resource_id = $2
), idx AS (
  INSERT INTO fhir_search (resource_type, resource_id, param, system, code, txt, low, high, num, ref, date_high)
  SELECT $1, $2, u.* FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::numeric[], $15::text[], $16::timestamptz[]) AS u
)
SELECT id FROM cur`;

const UPDATE_CURRENT_AUDIT = withAudit(UPDATE_CURRENT, 18);

function params(v: NewVersion): unknown[] {
  const c = toIndexColumns(v.index, mainDateHigh(v.resourceType, v.index));
  return [
    v.resourceType,
    v.id,
    v.versionId,
    v.lastUpdated,
    v.content,
    v.compartments,
    v.method,
    c.param,
    c.system,
    c.code,
    c.txt,
    c.low,
    c.high,
    c.num,
    c.ref,
    c.dateHigh,
  ];
}

/**
 * Text PostgreSQL cannot store (a NUL character: SQLSTATE 22021 / 22P05) is the client's problem, not a
 * server error. Validation refuses it first; this is the last line, so that nothing else can cause a 500.
 */
async function refuseUnstorableText<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === '22021' || code === '22P05') {
      throw new CarelineError('bad-request', [{ diagnostics: 'The resource contains characters that cannot be stored (such as U+0000).' }]);
    }
    throw err;
  }
}

/**
 * The only SQL of the FHIR store's writes and reads by id. Everything here takes a Queryable, so
 * the same calls run inside a transaction (batch/transaction bundles, conditional writes) or alone.
 */
export class FhirRepository {
  constructor(private readonly q: Queryable) {}

  withQueryable(q: Queryable): FhirRepository {
    return new FhirRepository(q);
  }

  /** Inserts version 1 (or the first version of an id chosen by the client). Throws on a duplicate id. */
  async insertNew(v: NewVersion): Promise<void> {
    const audit = v.audit ? auditInsertParams([v.audit]) : [];
    if (v.notify) {
      const sql = v.audit ? INSERT_NEW_NOTIFY_AUDIT : INSERT_NEW_NOTIFY;
      await refuseUnstorableText(() => this.q.query(sql, [...params(v), v.notify?.channel, v.notify?.text, ...audit]));
      return;
    }
    await refuseUnstorableText(() => this.q.query(v.audit ? INSERT_NEW_AUDIT : INSERT_NEW, [...params(v), ...audit]));
  }

  /**
   * Many new resources in ONE statement (a transaction Bundle's creates): rows travel as parallel
   * arrays through unnest, compartments as JSON text per resource (unnest flattens nested arrays).
   */
  async insertMany(versions: readonly NewVersion[]): Promise<void> {
    if (versions.length === 0) return;
    const owners: { type: string[]; id: string[] } = { type: [], id: [] };
    const cols = { param: [] as string[], system: [] as (string | null)[], code: [] as (string | null)[], txt: [] as (string | null)[], low: [] as (string | null)[], high: [] as (string | null)[], num: [] as (string | null)[], ref: [] as (string | null)[], dateHigh: [] as (string | null)[] };
    for (const v of versions) {
      const c = toIndexColumns(v.index, mainDateHigh(v.resourceType, v.index));
      for (let k = 0; k < c.param.length; k++) {
        owners.type.push(v.resourceType);
        owners.id.push(v.id);
      }
      cols.param.push(...c.param);
      cols.system.push(...c.system);
      cols.code.push(...c.code);
      cols.txt.push(...c.txt);
      cols.low.push(...c.low);
      cols.high.push(...c.high);
      cols.num.push(...c.num);
      cols.ref.push(...c.ref);
      cols.dateHigh.push(...c.dateHigh);
    }
    const audits = versions.flatMap((v) => (v.audit ? [v.audit] : []));
    await refuseUnstorableText(() =>
      this.q.query(audits.length > 0 ? INSERT_MANY_AUDIT : INSERT_MANY, [
        versions.map((v) => v.resourceType),
        versions.map((v) => v.id),
        versions.map((v) => v.lastUpdated),
        versions.map((v) => v.content),
        versions.map((v) => JSON.stringify(v.compartments)),
        versions.map((v) => v.method),
        owners.type,
        owners.id,
        cols.param,
        cols.system,
        cols.code,
        cols.txt,
        cols.low,
        cols.high,
        cols.num,
        cols.ref,
        cols.dateHigh,
        ...(audits.length > 0 ? auditInsertParams(audits) : []),
      ]),
    );
  }

  /** Writes a new current version (update, patch or delete) and replaces the search index. */
  async writeVersion(v: NewVersion & { readonly deleted: boolean }): Promise<void> {
    const index = v.deleted ? [] : v.index;
    const audit = v.audit ? auditInsertParams([v.audit]) : [];
    await refuseUnstorableText(() => this.q.query(v.audit ? UPDATE_CURRENT_AUDIT : UPDATE_CURRENT, [...params({ ...v, index }), v.deleted, ...audit]));
  }

  async readCurrent(resourceType: string, id: string, forUpdate = false): Promise<StoredVersion | undefined> {
    const { rows } = await this.q.query<VersionRow>(
      `SELECT resource_type, id, version_id, last_updated, deleted, content, compartments FROM fhir_resource
       WHERE resource_type = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [resourceType, id],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async readVersion(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined> {
    const { rows } = await this.q.query<VersionRow>(
      `SELECT resource_type, id, version_id, last_updated, deleted, content FROM fhir_resource_history
       WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
      [resourceType, id, versionId],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** Serialises writers of one logical key (conditional create/update) for the rest of the transaction. */
  async lockKey(key: string): Promise<void> {
    await this.q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }
}
