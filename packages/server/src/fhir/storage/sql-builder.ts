/** Collects bound values; SQL text is only ever assembled from the fixed fragments in this folder. */
export class SqlBuilder {
  readonly values: unknown[] = [];

  bind(value: unknown, cast?: 'text' | 'text[]' | 'timestamptz' | 'numeric' | 'bigint'): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** LIKE treats % and _ as wildcards and \ as escape: a searched-for string must not. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
