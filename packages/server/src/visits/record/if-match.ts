/**
 * The version named by an If-Match header: `W/"3"`, `"3"` (https://hl7.org/fhir/R4/http.html#concurrency)
 * or a bare `3`. Undefined when absent; null when present but not a version (the caller answers 400).
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined | null {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}
