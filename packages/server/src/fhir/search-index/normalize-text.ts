/**
 * String search is case- and accent-insensitive and may ignore non-significant whitespace
 * (https://hl7.org/fhir/R4/search.html#string). Index values and query values must go through
 * the same function, so the store normalises what a client searches for with it too.
 */
const COMBINING_MARKS = /\p{M}+/gu;
const WHITESPACE = /\s+/g;
// Letters that Unicode does not decompose into base letter + mark, folded by hand.
const FOLDS: Readonly<Record<string, string>> = { ø: 'o', ł: 'l', đ: 'd', ħ: 'h', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th' };
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu');

/**
 * Longest text kept in an index column. PostgreSQL cannot put a key over ~2.7 kB in a B-tree index,
 * and 512 UTF-16 units stay under it in UTF-8 with room for the other key columns. Longer values
 * are cut; a query value must be cut the same way (truncateForIndex) before it is compared.
 */
export const MAX_INDEXED_TEXT_LENGTH = 512;

const PLAIN_ASCII = /^[\x20-\x7e]*$/;
// Device readings repeat the same displays ("Systolic blood pressure") on every write.
const recent = new Map<string, string>();
const RECENT_LIMIT = 4096;

export function normalizeSearchText(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const lower = text.toLowerCase();
  const folded = PLAIN_ASCII.test(lower) ? lower : lower.normalize('NFD').replace(COMBINING_MARKS, '').replace(FOLDABLE, (c) => FOLDS[c] ?? c);
  const normalized = truncateForIndex(folded.replace(WHITESPACE, ' ').trim());
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(text, normalized);
  return normalized;
}

export function truncateForIndex(text: string): string {
  if (text.length <= MAX_INDEXED_TEXT_LENGTH) return text;
  const end = MAX_INDEXED_TEXT_LENGTH;
  // Never leave half of a surrogate pair at the end.
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}
