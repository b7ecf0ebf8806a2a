import type { IndexRow } from '../search-index/extract-index.js';

/**
 * Index rows as column arrays, for one `INSERT … SELECT FROM unnest(…)` per write: a single
 * statement whatever the number of rows (the ingestion hot path).
 */
export interface IndexColumns {
  readonly param: string[];
  readonly system: (string | null)[];
  readonly code: (string | null)[];
  readonly txt: (string | null)[];
  readonly low: (string | null)[];
  readonly high: (string | null)[];
  readonly num: (string | null)[];
  readonly ref: (string | null)[];
  readonly dateHigh: (string | null)[];
}

/** `mainDateHigh` goes onto reference rows only (see main-date.ts). */
export function toIndexColumns(rows: readonly IndexRow[], mainDateHigh: string): IndexColumns {
  const c: IndexColumns = { param: [], system: [], code: [], txt: [], low: [], high: [], num: [], ref: [], dateHigh: [] };
  for (const r of rows) {
    // _id is answered from fhir_resource.id; an index row for it would only cost a write.
    if (r.param === '_id') continue;
    let system: string | null = null;
    let code: string | null = null;
    let txt: string | null = null;
    let low: string | null = null;
    let high: string | null = null;
    let num: string | null = null;
    let ref: string | null = null;
    switch (r.kind) {
      case 'token':
        system = r.system;
        code = r.code;
        txt = r.text;
        break;
      case 'string':
        txt = r.value;
        code = r.exact;
        break;
      case 'uri':
        code = r.value;
        break;
      case 'date':
        low = r.low;
        high = r.high;
        break;
      case 'number':
        num = r.value;
        break;
      case 'quantity':
        num = r.value;
        system = r.system;
        code = r.code;
        txt = r.unit;
        break;
      case 'reference':
        ref = r.ref;
        break;
    }
    c.param.push(r.param);
    c.system.push(system);
    c.code.push(code);
    c.txt.push(txt);
    c.low.push(low);
    c.high.push(high);
    c.num.push(num);
    c.ref.push(ref);
    c.dateHigh.push(ref === null ? null : mainDateHigh);
  }
  return c;
}
