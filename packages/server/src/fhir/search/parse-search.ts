import { normalizeSearchText, truncateForIndex } from '../search-index/normalize-text.js';
import { badValue, parseDateCondition, parseNumberCondition, parseQuantityCondition, parseToken, splitOr } from './parse-values.js';
import {
  DEFAULT_COUNT,
  MAX_COUNT,
  type Filter,
  type IncludeSpec,
  type ParamLookup,
  type SearchParamInfo,
  type SearchRequest,
  type SortKey,
} from './search-request.js';

export interface ParseOptions {
  /** Prefer: handling=lenient — unknown parameters are ignored (and reported) instead of refused. */
  readonly lenient: boolean;
  /** This server's FHIR base, so absolute references to it compare as relative ones. */
  readonly baseUrl?: string;
  readonly isResourceType: (name: string) => boolean;
}

/** Result parameters that change nothing about which resources match, and are honoured or harmless. */
const IGNORED_CONTROLS = new Set(['_format', '_pretty']);
const UNSUPPORTED = new Set(['_text', '_content', '_list', '_query', '_filter', '_contained', '_containedType', '_score', '_type']);
const ELEMENT = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

class Parser {
  readonly filters: Filter[] = [];
  readonly ignored: string[] = [];
  sort: SortKey[] = [];
  count = DEFAULT_COUNT;
  total: SearchRequest['total'];
  summary: SearchRequest['summary'];
  elements: string[] | undefined;
  readonly include: IncludeSpec[] = [];
  readonly revinclude: IncludeSpec[] = [];
  cursor: string | undefined;

  constructor(
    private readonly resourceType: string,
    private readonly lookup: ParamLookup,
    private readonly options: ParseOptions,
  ) {}

  add(name: string, value: string): void {
    if (IGNORED_CONTROLS.has(name)) return;
    switch (name) {
      case '_count':
        return this.parseCount(value);
      case '_sort':
        this.sort = value.split(',').map((k) => this.parseSortKey(k));
        return;
      case '_total':
        if (value !== 'none' && value !== 'estimate' && value !== 'accurate') throw badValue(name, 'use none, estimate or accurate.');
        this.total = value;
        return;
      case '_summary':
        if (!['true', 'false', 'text', 'data', 'count'].includes(value)) throw badValue(name, 'use true, false, text, data or count.');
        this.summary = value as SearchRequest['summary'];
        return;
      case '_elements':
        this.elements = value.split(',').map((e) => e.trim());
        if (this.elements.some((e) => !ELEMENT.test(e))) throw badValue(name, 'give top-level element names separated by commas.');
        return;
      case '_cursor':
        if (!/^[A-Za-z0-9_-]{1,2048}$/.test(value)) throw badValue(name, 'this paging link is damaged; start the search again.');
        this.cursor = value;
        return;
      case '_include':
      case '_include:iterate':
        this.include.push(this.parseInclude(name, value, name.endsWith(':iterate'), false));
        return;
      case '_revinclude':
      case '_revinclude:iterate':
        this.revinclude.push(this.parseInclude(name, value, name.endsWith(':iterate'), true));
        return;
    }
    if (UNSUPPORTED.has(name.split(':')[0] ?? '')) return this.unknown(name, 'is not supported by this server');
    const filter = this.parseFilter(this.resourceType, name, value, true);
    if (filter) this.filters.push(filter);
  }

  private unknown(name: string, why: string): void {
    if (this.options.lenient) {
      this.ignored.push(name);
      return;
    }
    throw badValue(name, `${why} (send Prefer: handling=lenient to have unknown parameters ignored).`);
  }

  private parseCount(value: string): void {
    if (!/^\d{1,9}$/.test(value)) throw badValue('_count', 'must be a whole number.');
    this.count = Math.min(Number(value), MAX_COUNT);
  }

  private parseSortKey(raw: string): SortKey {
    const descending = raw.startsWith('-');
    const code = descending ? raw.slice(1) : raw;
    if (code === '_id') return { kind: 'id', descending };
    if (code === '_lastUpdated') return { kind: 'lastUpdated', descending };
    const info = this.lookup(this.resourceType, code);
    if (!info || info.type === 'composite' || info.type === 'special') {
      throw badValue('_sort', `"${code}" is not a sortable search parameter of ${this.resourceType}.`);
    }
    return { kind: 'param', param: info.code, type: info.type, descending };
  }

  private parseInclude(name: string, value: string, iterate: boolean, reverse: boolean): IncludeSpec {
    if (value === '*') {
      if (reverse) throw badValue(name, '_revinclude=* is not supported; name the type and parameter, e.g. Provenance:target.');
      return { sourceType: this.resourceType, param: '*', targetType: undefined, iterate };
    }
    const [source, param, target] = value.split(':');
    if (!source || !param || !this.options.isResourceType(source)) throw badValue(name, `"${value}" must be ResourceType:searchParameter[:TargetType].`);
    if (target !== undefined && !this.options.isResourceType(target)) throw badValue(name, `"${target}" is not a resource type.`);
    if (!reverse && !iterate && source !== this.resourceType) throw badValue(name, `_include must start with ${this.resourceType} (or use _include:iterate).`);
    if (param !== '*') {
      const info = this.lookup(source, param);
      if (info?.type !== 'reference') throw badValue(name, `"${param}" is not a reference parameter of ${source}.`);
    }
    return { sourceType: source, param, targetType: target, iterate };
  }

  /** One name=value pair into a filter; chain and _has resolve one level deep. */
  parseFilter(resourceType: string, name: string, value: string, allowChain: boolean): Filter | undefined {
    if (name.startsWith('_has:')) {
      if (!allowChain) throw badValue(name, 'only one level of chaining or _has is supported.');
      const [, sourceType, param, ...innerParts] = name.split(':');
      const innerName = innerParts.join(':');
      if (!sourceType || !param || !innerName || !this.options.isResourceType(sourceType)) {
        throw badValue(name, 'write _has:ResourceType:referenceParameter:searchParameter=value.');
      }
      if (this.lookup(sourceType, param)?.type !== 'reference') throw badValue(name, `"${param}" is not a reference parameter of ${sourceType}.`);
      const inner = this.parseFilter(sourceType, innerName, value, false);
      return inner ? { kind: 'has', sourceType, param, inner } : undefined;
    }
    const dot = name.indexOf('.');
    if (dot > 0) {
      if (!allowChain) throw badValue(name, 'only one level of chaining or _has is supported.');
      const [code = '', typeModifier] = name.slice(0, dot).split(':');
      const info = this.lookup(resourceType, code);
      if (info?.type !== 'reference') return this.unknownParam(resourceType, name);
      const targets = typeModifier ? [typeModifier] : info.targets;
      const targetType = targets.length === 1 ? targets[0] : undefined;
      if (!targetType || !this.options.isResourceType(targetType)) {
        throw badValue(name, `say which resource type the chain follows, e.g. ${code}:${info.targets[0] ?? 'Patient'}.${name.slice(dot + 1)}.`);
      }
      const inner = this.parseFilter(targetType, name.slice(dot + 1), value, false);
      return inner ? { kind: 'chain', param: info.code, targetType, inner } : undefined;
    }
    const [code = '', modifier] = name.split(':');
    if (code === '_id') {
      // _id is a token: :not is meaningful; any other modifier must not silently turn into equality.
      if (modifier !== undefined && modifier !== 'not') throw badValue(name, 'takes no modifier other than :not.');
      return { kind: 'id', values: splitOr(value), not: modifier === 'not' };
    }
    if (code === '_lastUpdated') {
      if (modifier) throw badValue(name, 'takes no modifier.');
      return { kind: 'lastUpdated', conditions: splitOr(value).map((v) => parseDateCondition(name, v)) };
    }
    const info = this.lookup(resourceType, code);
    if (!info || info.type === 'composite' || info.type === 'special') return this.unknownParam(resourceType, name);
    if (modifier === 'missing') {
      if (value !== 'true' && value !== 'false') throw badValue(name, ':missing takes true or false.');
      return { kind: 'missing', param: info.code, missing: value === 'true' };
    }
    return this.valueFilter(info, name, modifier, value);
  }

  private unknownParam(resourceType: string, name: string): undefined {
    this.unknown(name, `is not a search parameter of ${resourceType}`);
    return undefined;
  }

  private valueFilter(info: SearchParamInfo, name: string, modifier: string | undefined, value: string): Filter {
    const values = splitOr(value);
    const param = info.code;
    const noModifier = (): void => {
      if (modifier !== undefined) throw badValue(name, `the modifier :${modifier} is not supported for ${info.type} parameters.`);
    };
    switch (info.type) {
      case 'token':
        if (modifier === 'text') return { kind: 'token-text', param, values: values.map(normalizeSearchText) };
        if (modifier !== undefined && modifier !== 'not') noModifier();
        return { kind: 'token', param, modifier: modifier === 'not' ? 'not' : 'none', values: values.map((v) => parseToken(name, v)) };
      case 'string':
        if (modifier === 'exact') return { kind: 'string', param, modifier: 'exact', values: values.map(truncateForIndex) };
        if (modifier === 'contains') return { kind: 'string', param, modifier: 'contains', values: values.map(normalizeSearchText) };
        noModifier();
        return { kind: 'string', param, modifier: 'starts', values: values.map(normalizeSearchText) };
      case 'uri':
        noModifier();
        return { kind: 'uri', param, values };
      case 'date':
        noModifier();
        return { kind: 'date', param, conditions: values.map((v) => parseDateCondition(name, v)) };
      case 'number':
        noModifier();
        return { kind: 'number', param, conditions: values.map((v) => parseNumberCondition(name, v)) };
      case 'quantity':
        noModifier();
        return { kind: 'quantity', param, conditions: values.map((v) => parseQuantityCondition(name, v)) };
      case 'reference': {
        const typeModifier = modifier !== undefined && this.options.isResourceType(modifier) ? modifier : undefined;
        if (modifier !== undefined && !typeModifier) noModifier();
        return { kind: 'reference', param, refs: values.flatMap((v) => this.referenceCandidates(info, v, typeModifier)) };
      }
      case 'composite':
      case 'special':
        throw badValue(name, 'is not supported.');
    }
  }

  /** 'Patient/1', '1' (with the parameter's target types), or an absolute URL on this server. */
  private referenceCandidates(info: SearchParamInfo, raw: string, typeModifier: string | undefined): string[] {
    let v = raw;
    const base = this.options.baseUrl;
    if (base && v.startsWith(`${base}/`)) v = v.slice(base.length + 1);
    v = v.replace(/\/_history\/[^/]+$/, '');
    if (/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(v)) {
      // subject:Group=Patient/1 contradicts itself; matching Patient/1 anyway would ignore the modifier.
      if (typeModifier && !v.startsWith(`${typeModifier}/`)) throw badValue(info.code, `"${raw}" is not a ${typeModifier} reference.`);
      return [v];
    }
    if (/^[A-Za-z0-9\-.]{1,64}$/.test(v)) {
      const types = typeModifier ? [typeModifier] : info.targets.length > 0 ? info.targets : [];
      if (types.length === 0) throw badValue(info.code, `"${raw}" needs a resource type: Type/${raw}.`);
      return types.map((t) => `${t}/${v}`);
    }
    return [v];
  }
}

/** Parses a search's query pairs (repeated names AND, commas OR) into a SearchRequest; bad input → 400. */
export function parseSearch(resourceType: string, query: readonly (readonly [string, string])[], lookup: ParamLookup, options: ParseOptions): SearchRequest {
  const p = new Parser(resourceType, lookup, options);
  for (const [name, value] of query) p.add(name, value);
  return {
    resourceType,
    filters: p.filters,
    sort: p.sort,
    count: p.count,
    total: p.total,
    summary: p.summary,
    elements: p.elements,
    include: p.include,
    revinclude: p.revinclude,
    cursor: p.cursor,
    ignored: p.ignored,
  };
}
