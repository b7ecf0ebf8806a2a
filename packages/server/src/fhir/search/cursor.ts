import { CarelineError } from '../../platform/errors/careline-error.js';
import type { SortValue } from '../storage/search-sql.js';

/**
 * Opaque paging cursor: the sort values of the row to continue from, and the direction.
 * Keyset paging (not OFFSET) keeps pages correct while rows are inserted.
 */
export interface Cursor {
  readonly after: readonly SortValue[];
  readonly backwards: boolean;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.backwards ? 1 : 0, ...c.after])).toString('base64url');
}

export function decodeCursor(text: string, expectedLength: number): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== expectedLength + 1 ||
    (parsed[0] !== 0 && parsed[0] !== 1) ||
    !parsed.slice(1).every((v) => v === null || (typeof v === 'string' && v.length <= 1024))
  ) {
    throw new CarelineError('bad-request', [{ diagnostics: 'This paging link is damaged or belongs to another search; start the search again.', expression: ['query._cursor'] }]);
  }
  return { backwards: parsed[0] === 1, after: parsed.slice(1) as SortValue[] };
}
