import type { IndexRow } from './index-row.js';

/** Collects rows, dropping exact duplicates (the same value reached through two branches of a union). */
export class RowSink {
  readonly rows: IndexRow[] = [];
  private readonly seen = new Set<string>();

  add(row: IndexRow): void {
    const key = rowKey(row);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.rows.push(row);
  }
}

// Fields are joined with a character that cannot occur in FHIR strings (https://hl7.org/fhir/R4/datatypes.html#string).
function rowKey(row: IndexRow): string {
  switch (row.kind) {
    case 'token':
      return `t\u0000${row.param}\u0000${row.system ?? '\u0001'}\u0000${row.code ?? '\u0001'}\u0000${row.text ?? '\u0001'}`;
    case 'string':
      return `s\u0000${row.param}\u0000${row.exact}`;
    case 'date':
      return `d\u0000${row.param}\u0000${row.low}\u0000${row.high}`;
    case 'reference':
      return `r\u0000${row.param}\u0000${row.ref}`;
    case 'number':
      return `n\u0000${row.param}\u0000${row.value}`;
    case 'quantity':
      return `q\u0000${row.param}\u0000${row.value}\u0000${row.system ?? '\u0001'}\u0000${row.code ?? '\u0001'}\u0000${row.unit ?? '\u0001'}\u0000${row.comparator ?? '\u0001'}`;
    case 'uri':
      return `u\u0000${row.param}\u0000${row.value}`;
  }
}
