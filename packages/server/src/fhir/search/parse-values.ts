import { CarelineError } from '../../platform/errors/careline-error.js';
import { dateRange } from '../search-index/date-range.js';
import type { Prefix, RangeCondition, TokenValue } from './search-request.js';

/** Query-string values: comma means OR; `\,` `\|` `\$` `\\` are escapes (https://hl7.org/fhir/R4/search.html#escaping). */
export function splitOr(value: string): string[] {
  return splitUnescaped(value, ',').map(unescape);
}

function splitUnescaped(value: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\' && i + 1 < value.length) {
      cur += c + (value[i + 1] ?? '');
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\([\\,|$])/g, '$1');
}

export function badValue(name: string, message: string): CarelineError {
  return new CarelineError('bad-request', [{ diagnostics: `Search parameter ${name}: ${message}`, expression: [`query.${name}`] }]);
}

const PREFIXES: readonly Prefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

function takePrefix(value: string): { prefix: Prefix; rest: string } {
  const p = value.slice(0, 2) as Prefix;
  if (PREFIXES.includes(p) && /^[a-z]{2}[-+\d]/.test(value)) return { prefix: p, rest: value.slice(2) };
  return { prefix: 'eq', rest: value };
}

export function parseDateCondition(name: string, raw: string): RangeCondition {
  const { prefix, rest } = takePrefix(raw);
  const range = dateRange(rest);
  if (!range) throw badValue(name, `"${raw}" is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime), optionally after a prefix such as ge.`);
  return { prefix, low: range.low, high: range.high };
}

const DECIMAL = /^[-+]?(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d{1,3}))?$/;

/**
 * A number's precision is its implicit range: 100 means [99.5, 100.5), 100.00 means
 * [99.995, 100.005) (https://hl7.org/fhir/R4/search.html#number).
 */
export function parseNumberCondition(name: string, raw: string): RangeCondition & { value: string } {
  const { prefix, rest } = takePrefix(raw);
  const m = DECIMAL.exec(rest);
  if (!m || rest.length > 40) throw badValue(name, `"${raw}" is not a decimal number, optionally after a prefix such as gt.`);
  if (!Number.isFinite(Number(rest))) throw badValue(name, `"${raw}" is out of range.`);
  // The bounds are value*10 ± 5, scaled by the half unit of the last digit, as exact decimal text
  // ("15e-2"). Binary floating point moved them (0.2 − 0.05 = 0.15000000000000002, so 0.2 missed a
  // stored 0.15) and lost every digit past the 17th (an eq on a 20-digit number matched nothing).
  const fraction = m[2] ?? '';
  const exponent = Number(m[3] ?? 0) - fraction.length - 1;
  // PostgreSQL's numeric takes exponents within ±1000 only.
  if (Math.abs(exponent) > 1000) throw badValue(name, `"${raw}" is out of range.`);
  const tenTimes = BigInt(`${m[1] ?? '0'}${fraction}`) * (rest.startsWith('-') ? -10n : 10n);
  return { prefix, low: `${tenTimes - 5n}e${exponent}`, high: `${tenTimes + 5n}e${exponent}`, value: rest.replace(/^\+/, '') };
}

export function parseQuantityCondition(name: string, raw: string): RangeCondition & { value: string; system: string | undefined; code: string | undefined } {
  const parts = splitUnescaped(raw, '|').map(unescape);
  if (parts.length !== 1 && parts.length !== 3) throw badValue(name, `"${raw}" must be [prefix]number or [prefix]number|system|code.`);
  const n = parseNumberCondition(name, parts[0] ?? '');
  const system = parts[1] ? parts[1] : undefined;
  const code = parts[2] ? parts[2] : undefined;
  return { ...n, system, code };
}

export function parseToken(name: string, raw: string): TokenValue {
  const parts = splitUnescaped(raw, '|').map(unescape);
  if (parts.length > 2) throw badValue(name, `"${raw}" has more than one unescaped "|".`);
  if (parts.length === 1) {
    if (!parts[0]) throw badValue(name, 'an empty value matches nothing; give a code or system|code.');
    return { system: undefined, code: parts[0] };
  }
  const [system, code] = parts as [string, string];
  if (!system && !code) throw badValue(name, '"|" alone is not a token.');
  return { system: system === '' ? null : system, code: code === '' ? undefined : code };
}
