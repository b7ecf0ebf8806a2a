import type { Queryable } from '../../platform/db/database.js';
import type { AccessContext, SearchScope } from '../access/access-policy.js';
import { decodeCursor, encodeCursor } from '../search/cursor.js';
import { projectElements } from '../search/project-elements.js';
import type { IncludeSpec, SearchRequest } from '../search/search-request.js';
import { SearchRepository, type FoundRow } from '../storage/search-repository.js';
import type { FhirResource } from './resource-types.js';

/** Resources pulled in by _include/_revinclude, at most, and rounds of :iterate. */
const MAX_INCLUDED = 1000;
const MAX_ITERATIONS = 3;

export interface BundleEntry {
  fullUrl?: string;
  resource?: unknown;
  search?: { mode: 'match' | 'include' | 'outcome' };
}

/** An entry whose resource is still the stored JSON text: spliced into the response unparsed. */
interface RawEntry extends BundleEntry {
  readonly raw: string;
}

export interface SearchBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total?: number;
  link: { relation: string; url: string }[];
  entry: BundleEntry[];
}

export interface SearchLinks {
  readonly base: string;
  /** The query as received, minus _cursor, already URL-encoded (`a=1&b=2`). */
  readonly query: string;
}

function entryOf(base: string, row: FoundRow, mode: 'match' | 'include', req: SearchRequest): BundleEntry {
  const fullUrl = `${base}/${row.resourceType}/${row.id}`;
  // Without _elements/_summary the stored text is the answer: no parse, no re-serialisation.
  if (mode === 'include' || (!req.elements && !req.summary)) {
    const raw: RawEntry = { fullUrl, search: { mode }, raw: row.content };
    Object.defineProperty(raw, 'resource', { enumerable: false, get: () => JSON.parse(row.content) as unknown });
    return raw;
  }
  const resource = JSON.parse(row.content) as FhirResource;
  const projected = mode === 'match' ? projectElements(resource, req.elements, req.summary) : undefined;
  return { fullUrl: `${base}/${row.resourceType}/${row.id}`, resource: projected ?? resource, search: { mode } };
}

/**
 * Runs a parsed search through the access policy: matches, totals, includes and chains only ever
 * see rows the caller may read.
 */
export async function searchResources(q: Queryable, ctx: AccessContext, req: SearchRequest, links: SearchLinks, returned?: (rows: readonly FoundRow[]) => void): Promise<SearchBundle> {
  const repo = new SearchRepository(q);
  const scopeOf = (t: string): SearchScope => ctx.policy.searchScope(t);
  const typeUrl = `${links.base}/${req.resourceType}`;
  const bundle: SearchBundle = { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: `${typeUrl}?${links.query}` }], entry: [] };

  if (req.summary === 'count' || req.count === 0) {
    bundle.total = await repo.count(req.resourceType, req.filters, scopeOf);
    return withOutcome(bundle, req);
  }
  const sortLength = req.sort.length + (req.sort.some((k) => k.kind === 'id') ? 0 : 1);
  const cursor = req.cursor ? decodeCursor(req.cursor, sortLength) : undefined;
  const rows = await repo.page(req.resourceType, req.filters, req.sort, scopeOf, { after: cursor?.after, backwards: cursor?.backwards ?? false, limit: req.count });
  const more = rows.length > req.count;
  const page = rows.slice(0, req.count);
  if (cursor?.backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const sep = links.query ? '&' : '';
  // Forward: a next page if we fetched one row too many; a previous one if we came from a cursor.
  const hasNext = cursor?.backwards ? true : more;
  const hasPrev = cursor ? (cursor.backwards ? more : true) : false;
  if (hasNext && last) bundle.link.push({ relation: 'next', url: `${typeUrl}?${links.query}${sep}_cursor=${encodeCursor({ after: last.sortValues, backwards: false })}` });
  if (hasPrev && first) bundle.link.push({ relation: 'previous', url: `${typeUrl}?${links.query}${sep}_cursor=${encodeCursor({ after: first.sortValues, backwards: true })}` });

  if (req.total === 'accurate' || req.total === 'estimate') bundle.total = await repo.count(req.resourceType, req.filters, scopeOf);
  else if (req.total === undefined && !cursor && !more) bundle.total = page.length;

  bundle.entry = page.map((r) => entryOf(links.base, r, 'match', req));
  const included = await includes(repo, ctx, req, page);
  // For the audit trail: every resource the caller receives, matches and includes alike.
  returned?.(page);
  returned?.(included);
  bundle.entry.push(...included.map((r) => entryOf(links.base, r, 'include', req)));
  return withOutcome(bundle, req);
}

async function includes(repo: SearchRepository, ctx: AccessContext, req: SearchRequest, matches: readonly FoundRow[]): Promise<FoundRow[]> {
  if (req.include.length === 0 && req.revinclude.length === 0) return [];
  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
  const out: FoundRow[] = [];
  const scopeOf = (t: string): SearchScope => ctx.policy.searchScope(t);
  const visible = (r: FoundRow): boolean => ctx.policy.canRead({ resourceType: r.resourceType, id: r.id, compartments: r.compartments });
  const add = (rows: readonly FoundRow[]): FoundRow[] => {
    const fresh = rows.filter((r) => !seen.has(`${r.resourceType}/${r.id}`) && visible(r));
    for (const r of fresh) seen.add(`${r.resourceType}/${r.id}`);
    out.push(...fresh.slice(0, MAX_INCLUDED - out.length));
    return fresh;
  };
  let frontier: readonly FoundRow[] = matches;
  for (let round = 0; round < MAX_ITERATIONS && frontier.length > 0 && out.length < MAX_INCLUDED; round++) {
    const specs = (s: readonly IncludeSpec[]): IncludeSpec[] => s.filter((x) => round === 0 || x.iterate);
    const next: FoundRow[] = [];
    for (const spec of specs(req.include)) {
      const ids = frontier.filter((r) => r.resourceType === spec.sourceType).map((r) => r.id);
      const refs = (await repo.referencesFrom(spec.sourceType, ids, spec.param)).filter((ref) => !spec.targetType || ref.startsWith(`${spec.targetType}/`));
      next.push(...add(await repo.byReferences(refs, MAX_INCLUDED, scopeOf)));
    }
    for (const spec of specs(req.revinclude)) {
      const refs = frontier.map((r) => `${r.resourceType}/${r.id}`);
      next.push(...add(await repo.referencing(spec.sourceType, spec.param, refs, MAX_INCLUDED, scopeOf)));
    }
    frontier = next;
  }
  return out;
}

/** The Bundle as JSON text, splicing stored resources in as they are. */
export function serializeBundle(bundle: SearchBundle): string {
  const { entry, ...head } = bundle;
  const parts = entry.map((e) =>
    'raw' in e && typeof e.raw === 'string'
      ? `{"fullUrl":${JSON.stringify(e.fullUrl)},"resource":${e.raw},"search":${JSON.stringify(e.search)}}`
      : JSON.stringify(e),
  );
  const headJson = JSON.stringify(head);
  return `${headJson.slice(0, -1)},"entry":[${parts.join(',')}]}`;
}

function withOutcome(bundle: SearchBundle, req: SearchRequest): SearchBundle {
  if (req.ignored.length > 0) {
    bundle.entry.push({
      resource: {
        resourceType: 'OperationOutcome',
        issue: req.ignored.map((name) => ({ severity: 'warning', code: 'not-supported', diagnostics: `Search parameter ${name} was ignored.`, expression: [`query.${name}`] })),
      },
      search: { mode: 'outcome' },
    });
  }
  return bundle;
}
