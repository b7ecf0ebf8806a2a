import type { ScopeRule, SearchScope } from '../access/access-policy.js';
import type { Filter, RangeCondition, SortKey } from '../search/search-request.js';
import { mainDateParam } from './main-date.js';
import { SqlBuilder, escapeLike } from './sql-builder.js';

/**
 * SearchRequest → parameterised SQL over fhir_resource / fhir_search. Every piece of SQL text
 * comes from this file; request values (parameter codes included) are bound, never spliced.
 */
export interface Owner {
  /** Alias of the fhir_resource row being matched ('r' at top level, 't' inside chain/_has). */
  readonly alias: 'r' | 't';
  /** Bound placeholder holding that row's resource type. */
  readonly type: string;
  /**
   * Check each candidate row with its own index probe instead of letting the planner turn the
   * condition into a join: right when an ordered driver already yields few rows in order, and it
   * keeps that plan even when the tables have no statistics yet.
   */
  readonly perRow?: boolean;
}

/** One ScopeRule as SQL over a fhir_resource row (the twin of matchesRule in access-policy.ts). */
function ruleSql(b: SqlBuilder, alias: string, rule: ScopeRule): string {
  const parts: string[] = [];
  if (rule.types) parts.push(`${alias}.resource_type = ANY(${b.bind(rule.types, 'text[]')})`);
  if (rule.anyOf) parts.push(`${alias}.compartments && ${b.bind(rule.anyOf, 'text[]')}`);
  if (rule.allOf && rule.allOf.length > 0) parts.push(`${alias}.compartments @> ${b.bind(rule.allOf, 'text[]')}`);
  if (rule.noPatient) parts.push(`NOT EXISTS (SELECT 1 FROM unnest(${alias}.compartments) AS pc(c) WHERE pc.c LIKE 'Patient/%')`);
  if (rule.refs) parts.push(`(${alias}.resource_type || '/' || ${alias}.id) = ANY(${b.bind(rule.refs, 'text[]')})`);
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}

/**
 * The caller's SearchScope as a condition on a fhir_resource row: applied to matches, totals,
 * includes, chain targets and _has sources alike, so nothing outside the scope is counted or shown.
 */
export function scopeSql(b: SqlBuilder, alias: string, scope: SearchScope): string {
  switch (scope.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'compartments':
      return `${alias}.compartments && ${b.bind(scope.compartments, 'text[]')}`;
    case 'rules':
      return scope.rules.length === 0 ? 'false' : `(${scope.rules.map((r) => ruleSql(b, alias, r)).join(' OR ')})`;
  }
}

function indexExists(b: SqlBuilder, o: Owner, param: string, condition: string): string {
  if (o.perRow) {
    // A LIMITed scalar subquery is never pulled up into a join (an EXISTS would be), and the inner
    // OFFSET 0 fence leaves the planner only the owner index, whose lookup is a handful of rows;
    // without statistics it would otherwise pick a value index and scan every row with that value.
    const own = `SELECT * FROM fhir_search WHERE resource_type = ${o.type} AND resource_id = ${o.alias}.id AND param = ${b.bind(param, 'text')} OFFSET 0`;
    return `((SELECT true FROM (${own}) s WHERE ${condition} LIMIT 1) IS NOT NULL)`;
  }
  return `EXISTS (SELECT 1 FROM fhir_search s WHERE s.resource_type = ${o.type} AND s.resource_id = ${o.alias}.id AND s.param = ${b.bind(param, 'text')} AND (${condition}))`;
}

function or(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] ?? 'false') : `(${parts.join(' OR ')})`;
}

/** Date ranges against a stored [low, high] (https://hl7.org/fhir/R4/search.html#prefix). */
function dateCondition(b: SqlBuilder, c: RangeCondition, low: string, high: string): string {
  const lo = (): string => b.bind(c.low, 'timestamptz');
  const hi = (): string => b.bind(c.high, 'timestamptz');
  switch (c.prefix) {
    case 'eq':
      return `(${low} >= ${lo()} AND ${high} <= ${hi()})`;
    case 'ne':
      return `NOT (${low} >= ${lo()} AND ${high} <= ${hi()})`;
    case 'gt':
      return `${high} > ${hi()}`;
    case 'lt':
      return `${low} < ${lo()}`;
    case 'ge':
      return `${high} >= ${lo()}`;
    case 'le':
      return `${low} <= ${hi()}`;
    case 'sa':
      return `${low} > ${hi()}`;
    case 'eb':
      return `${high} < ${lo()}`;
    case 'ap': {
      // "Approximately": within 10% of the distance between the value and now, at least a day.
      const from = Date.parse(c.low);
      const to = Date.parse(c.high);
      const slack = Math.max(86_400_000, Math.abs(Date.now() - from) * 0.1);
      const wlo = new Date(Math.max(from - slack, -62_135_596_800_000)).toISOString();
      const whi = new Date(Math.min(to + slack, 253_402_300_799_999)).toISOString();
      return `(${low} <= ${b.bind(whi, 'timestamptz')} AND ${high} >= ${b.bind(wlo, 'timestamptz')})`;
    }
  }
}

function numberCondition(b: SqlBuilder, c: RangeCondition & { value: string }, num: string): string {
  const v = (): string => b.bind(c.value, 'numeric');
  switch (c.prefix) {
    case 'eq':
      return `(${num} >= ${b.bind(c.low, 'numeric')} AND ${num} < ${b.bind(c.high, 'numeric')})`;
    case 'ne':
      return `NOT (${num} >= ${b.bind(c.low, 'numeric')} AND ${num} < ${b.bind(c.high, 'numeric')})`;
    case 'gt':
    case 'sa':
      return `${num} > ${v()}`;
    case 'lt':
    case 'eb':
      return `${num} < ${v()}`;
    case 'ge':
      return `${num} >= ${v()}`;
    case 'le':
      return `${num} <= ${v()}`;
    case 'ap': {
      const x = Number(c.value);
      const d = Math.abs(x) * 0.1;
      return `(${num} >= ${b.bind(String(x - d), 'numeric')} AND ${num} <= ${b.bind(String(x + d), 'numeric')})`;
    }
  }
}

export function filterSql(b: SqlBuilder, f: Filter, o: Owner, scopeOf: (resourceType: string) => SearchScope): string {
  const a = o.alias;
  switch (f.kind) {
    case 'id':
      return `${f.not ? 'NOT ' : ''}${a}.id = ANY(${b.bind(f.values, 'text[]')})`;
    case 'lastUpdated':
      return or(f.conditions.map((c) => dateCondition(b, c, `${a}.last_updated`, `${a}.last_updated`)));
    case 'token': {
      const matches = or(
        f.values.map((v) => {
          const parts: string[] = [];
          if (v.code !== undefined) parts.push(`s.code = ${b.bind(v.code, 'text')}`);
          if (v.system === null) parts.push('s.system IS NULL');
          else if (v.system !== undefined) parts.push(`s.system = ${b.bind(v.system, 'text')}`);
          return `(${parts.join(' AND ')})`;
        }),
      );
      const exists = indexExists(b, o, f.param, matches);
      return f.modifier === 'not' ? `NOT ${exists}` : exists;
    }
    case 'token-text':
      return indexExists(b, o, f.param, or(f.values.map((v) => `s.txt LIKE ${b.bind(`${escapeLike(v)}%`, 'text')}`)));
    case 'string':
      return indexExists(
        b,
        o,
        f.param,
        or(
          f.values.map((v) => {
            switch (f.modifier) {
              case 'exact':
                return `s.code = ${b.bind(v, 'text')}`;
              case 'contains':
                return `s.txt LIKE ${b.bind(`%${escapeLike(v)}%`, 'text')}`;
              case 'starts':
                return `s.txt LIKE ${b.bind(`${escapeLike(v)}%`, 'text')}`;
            }
          }),
        ),
      );
    case 'uri':
      return indexExists(b, o, f.param, `s.code = ANY(${b.bind(f.values, 'text[]')})`);
    case 'date':
      return indexExists(b, o, f.param, or(f.conditions.map((c) => dateCondition(b, c, 's.low', 's.high'))));
    case 'number':
      return indexExists(b, o, f.param, or(f.conditions.map((c) => numberCondition(b, { ...c, value: c.value ?? c.low }, 's.num'))));
    case 'quantity':
      return indexExists(
        b,
        o,
        f.param,
        or(
          f.conditions.map((c) => {
            const parts = [numberCondition(b, { ...c, value: c.value ?? c.low }, 's.num')];
            if (c.system !== undefined) parts.push(`s.system = ${b.bind(c.system, 'text')}`);
            if (c.code !== undefined) {
              const code = b.bind(c.code, 'text');
              parts.push(c.system !== undefined ? `s.code = ${code}` : `(s.code = ${code} OR s.txt = ${code})`);
            }
            return `(${parts.join(' AND ')})`;
          }),
        ),
      );
    case 'reference':
      return indexExists(b, o, f.param, `s.ref = ANY(${b.bind(f.refs, 'text[]')})`);
    case 'missing': {
      const exists = `EXISTS (SELECT 1 FROM fhir_search s WHERE s.resource_type = ${o.type} AND s.resource_id = ${a}.id AND s.param = ${b.bind(f.param, 'text')})`;
      return f.missing ? `NOT ${exists}` : exists;
    }
    case 'chain': {
      // Targets must be visible to the caller too: a chain must not reveal what a read would hide.
      const t = b.bind(f.targetType, 'text');
      const inner = filterSql(b, f.inner, { alias: 't', type: t }, scopeOf);
      const targets = `SELECT ${t} || '/' || t.id FROM fhir_resource t WHERE t.resource_type = ${t} AND NOT t.deleted AND ${scopeSql(b, 't', scopeOf(f.targetType))} AND ${inner}`;
      return indexExists(b, o, f.param, `s.ref IN (${targets})`);
    }
    case 'has': {
      const st = b.bind(f.sourceType, 'text');
      const inner = filterSql(b, f.inner, { alias: 't', type: st }, scopeOf);
      return `EXISTS (SELECT 1 FROM fhir_search s JOIN fhir_resource t ON t.resource_type = s.resource_type AND t.id = s.resource_id
        WHERE s.resource_type = ${st} AND s.param = ${b.bind(f.param, 'text')} AND s.ref = ${o.type} || '/' || ${a}.id
        AND NOT t.deleted AND ${scopeSql(b, 't', scopeOf(f.sourceType))} AND ${inner})`;
    }
  }
}

export type SortValue = string | null;

interface SortColumn {
  readonly expr: string;
  readonly descending: boolean;
  readonly cast: 'text' | 'timestamptz' | 'numeric';
}

/**
 * Sort expressions. A multi-valued parameter sorts by its lowest value ascending and its highest
 * descending (https://hl7.org/fhir/R4/search.html#sort); a missing value sorts last either way, via
 * sentinels so that keyset paging can compare plain values.
 */
function sortColumns(b: SqlBuilder, keys: readonly SortKey[], type: string): SortColumn[] {
  const cols: SortColumn[] = keys.map((k): SortColumn => {
    switch (k.kind) {
      case 'id':
        return { expr: 'r.id COLLATE "C"', descending: k.descending, cast: 'text' };
      case 'lastUpdated':
        return { expr: 'r.last_updated', descending: k.descending, cast: 'timestamptz' };
      case 'param': {
        const p = b.bind(k.param, 'text');
        const agg = k.descending ? 'max' : 'min';
        const from = `FROM fhir_search s WHERE s.resource_type = ${type} AND s.resource_id = r.id AND s.param = ${p}`;
        switch (k.type) {
          case 'date':
            return {
              expr: `coalesce((SELECT ${agg}(s.${k.descending ? 'high' : 'low'}) ${from}), '${k.descending ? '-infinity' : 'infinity'}'::timestamptz)`,
              descending: k.descending,
              cast: 'timestamptz',
            };
          case 'number':
          case 'quantity':
            return {
              expr: `coalesce((SELECT ${agg}(s.num) ${from}), '${k.descending ? '-Infinity' : 'Infinity'}'::numeric)`,
              descending: k.descending,
              cast: 'numeric',
            };
          case 'string':
          case 'token':
          case 'uri':
          case 'reference': {
            const col = k.type === 'string' ? 's.txt' : k.type === 'reference' ? 's.ref' : 's.code';
            return {
              expr: `coalesce((SELECT ${agg}(${col} COLLATE "C") ${from}), ${k.descending ? "''" : 'chr(1114111)'}) COLLATE "C"`,
              descending: k.descending,
              cast: 'text',
            };
          }
        }
      }
    }
  });
  // The id breaks ties, so that every row has one place in the order and paging never repeats or skips.
  if (!keys.some((k) => k.kind === 'id')) cols.push({ expr: 'r.id COLLATE "C"', descending: false, cast: 'text' });
  return cols;
}

export interface PageQuery {
  /** Values of the sort columns of the row after which (or before which, backwards) to continue. */
  readonly after: readonly SortValue[] | undefined;
  readonly backwards: boolean;
  readonly limit: number;
}

export interface BuiltSearch {
  readonly text: string;
  readonly values: unknown[];
  readonly sortColumnCount: number;
}

function keysetSql(b: SqlBuilder, cols: readonly SortColumn[], after: readonly SortValue[], backwards: boolean): string {
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      const c = cols[j];
      if (c) parts.push(`${c.expr} = ${b.bind(after[j] ?? null, c.cast)}${c.cast === 'text' ? ' COLLATE "C"' : ''}`);
    }
    const c = cols[i];
    if (!c) continue;
    const forward = c.descending ? '<' : '>';
    const op = backwards ? (forward === '<' ? '>' : '<') : forward;
    parts.push(`${c.expr} ${op} ${b.bind(after[i] ?? null, c.cast)}${c.cast === 'text' ? ' COLLATE "C"' : ''}`);
    ors.push(`(${parts.join(' AND ')})`);
  }
  return `(${ors.join(' OR ')})`;
}

/** The page query: matching, visible, live rows in sort order, one more than asked to know if there is a next page. */
/**
 * The hot path: one reference value (a patient's Observations…) sorted newest first by the type's
 * main date. fhir_search_ref holds (reference, date_high) in that order, so the page is read off
 * one index in order and stops after `limit` rows, whatever the planner's statistics say.
 */
function refDriver(resourceType: string, filters: readonly Filter[], sort: readonly SortKey[]): { driver: Filter & { kind: 'reference' }; rest: Filter[] } | undefined {
  const k = sort[0];
  if (sort.length !== 1 || k?.kind !== 'param' || k.type !== 'date' || !k.descending || k.param !== mainDateParam(resourceType)) return undefined;
  const i = filters.findIndex((f) => f.kind === 'reference' && f.refs.length === 1);
  const driver = filters[i];
  if (driver?.kind !== 'reference') return undefined;
  return { driver, rest: filters.filter((_, j) => j !== i) };
}

/** The page query: matching, visible, live rows in sort order, one more than asked to know if there is a next page. */
export function buildSearchSql(
  resourceType: string,
  filters: readonly Filter[],
  sort: readonly SortKey[],
  scopeOf: (resourceType: string) => SearchScope,
  page: PageQuery,
): BuiltSearch {
  const b = new SqlBuilder();
  const type = b.bind(resourceType, 'text');
  const where = [`r.resource_type = ${type}`, 'NOT r.deleted', scopeSql(b, 'r', scopeOf(resourceType))];
  const fast = refDriver(resourceType, filters, sort);
  let from = 'fhir_resource r';
  let cols: SortColumn[];
  if (fast) {
    from = 'fhir_search d JOIN fhir_resource r ON r.resource_type = d.resource_type AND r.id = d.resource_id';
    where.push(`d.resource_type = ${type}`, `d.param = ${b.bind(fast.driver.param, 'text')}`, `d.ref = ${b.bind(fast.driver.refs[0], 'text')}`);
    for (const f of fast.rest) where.push(filterSql(b, f, { alias: 'r', type, perRow: true }, scopeOf));
    // Same values as the general sort columns (max date, '-infinity' when none; then id), so cursors carry over.
    cols = [
      { expr: 'd.date_high', descending: true, cast: 'timestamptz' },
      { expr: 'd.resource_id COLLATE "C"', descending: false, cast: 'text' },
    ];
  } else {
    for (const f of filters) where.push(filterSql(b, f, { alias: 'r', type }, scopeOf));
    cols = sortColumns(b, sort, type);
  }
  if (page.after) where.push(keysetSql(b, cols, page.after, page.backwards));
  const order = cols.map((c) => `${c.expr} ${c.descending !== page.backwards ? 'DESC' : 'ASC'}`).join(', ');
  const select = cols.map((c, i) => `(${c.expr})::text AS k${i}`).join(', ');
  const text = `SELECT r.id, r.version_id, r.last_updated, r.content, r.compartments, ${select}
    FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${b.bind(page.limit + 1, 'bigint')}`;
  return { text, values: b.values, sortColumnCount: cols.length };
}

export function buildCountSql(resourceType: string, filters: readonly Filter[], scopeOf: (resourceType: string) => SearchScope): { text: string; values: unknown[] } {
  const b = new SqlBuilder();
  const type = b.bind(resourceType, 'text');
  const where = [`r.resource_type = ${type}`, 'NOT r.deleted', scopeSql(b, 'r', scopeOf(resourceType))];
  for (const f of filters) where.push(filterSql(b, f, { alias: 'r', type }, scopeOf));
  return { text: `SELECT count(*) AS n FROM fhir_resource r WHERE ${where.join(' AND ')}`, values: b.values };
}
