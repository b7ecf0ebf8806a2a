import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AccessContext } from '../access/access-policy.js';
import { dateRange } from '../search-index/date-range.js';
import { DEFAULT_COUNT, MAX_COUNT } from '../search/search-request.js';
import { HistoryRepository, type HistoryRow } from '../storage/history-repository.js';

export interface HistoryParams {
  readonly resourceType?: string;
  readonly id?: string;
  readonly pairs: readonly (readonly [string, string])[];
  readonly base: string;
}

function bad(name: string, message: string): CarelineError {
  return new CarelineError('bad-request', [{ diagnostics: `${name}: ${message}`, expression: [`query.${name}`] }]);
}

/** Instance, type or system history as a Bundle of type history, newest first, keyset-paged. */
export async function readHistory(q: Queryable, ctx: AccessContext, p: HistoryParams, returned?: (rows: readonly HistoryRow[]) => void): Promise<Record<string, unknown>> {
  let count = DEFAULT_COUNT;
  let since: string | undefined;
  let at: string | undefined;
  let after: [string, string, string, number] | undefined;
  for (const [k, v] of p.pairs) {
    if (k === '_count') {
      if (!/^\d{1,9}$/.test(v)) throw bad(k, 'must be a whole number.');
      count = Math.min(Number(v), MAX_COUNT);
    } else if (k === '_since' || k === '_at') {
      const r = dateRange(v);
      if (!r) throw bad(k, 'must be a FHIR instant.');
      if (k === '_since') since = r.low;
      else at = r.high;
    } else if (k === '_cursor') {
      try {
        const parsed = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
        if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[3] !== 'number' || !parsed.slice(0, 3).every((x) => typeof x === 'string')) throw new Error('shape');
        after = parsed as [string, string, string, number];
      } catch {
        throw bad(k, 'this paging link is damaged; start again.');
      }
    } else if (k !== '_format' && k !== '_pretty') {
      throw bad(k, 'is not a history parameter (use _count, _since, _at).');
    }
  }
  const rows = await new HistoryRepository(q).list(
    { ...(p.resourceType ? { resourceType: p.resourceType } : {}), ...(p.id ? { id: p.id } : {}), ...(since ? { since } : {}), ...(at ? { at } : {}), ...(after ? { after } : {}), limit: count },
    (t) => ctx.policy.searchScope(t),
  );
  if (p.id && p.resourceType && rows.length === 0 && !after) {
    throw new CarelineError('not-found', [{ diagnostics: `${p.resourceType}/${p.id} is not known.` }]);
  }
  const visible = rows.filter((r) => ctx.policy.canRead({ resourceType: r.resourceType, id: r.id, compartments: r.compartments }));
  const page = visible.slice(0, count);
  returned?.(page);
  const path = [p.base, p.resourceType, p.id, '_history'].filter(Boolean).join('/');
  const query = new URLSearchParams(p.pairs.filter(([k]) => k !== '_cursor') as [string, string][]).toString();
  const link = [{ relation: 'self', url: query ? `${path}?${query}` : path }];
  const last = page.at(-1);
  if (rows.length > count && last) {
    const cursor = Buffer.from(JSON.stringify([last.lastUpdated.toISOString(), last.resourceType, last.id, last.versionId])).toString('base64url');
    link.push({ relation: 'next', url: `${path}?${query ? `${query}&` : ''}_cursor=${cursor}` });
  }
  return {
    resourceType: 'Bundle',
    type: 'history',
    link,
    entry: page.map((r) => ({
      fullUrl: `${p.base}/${r.resourceType}/${r.id}`,
      ...(r.deleted ? {} : { resource: JSON.parse(r.content) as unknown }),
      request: { method: r.method === 'PATCH' ? 'PATCH' : r.method, url: r.method === 'POST' ? r.resourceType : `${r.resourceType}/${r.id}` },
      response: { status: r.deleted ? '204' : r.versionId === 1 ? '201' : '200', etag: `W/"${r.versionId}"`, lastModified: r.lastUpdated.toISOString() },
    })),
  };
}
