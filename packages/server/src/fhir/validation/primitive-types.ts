/**
 * Checks of FHIR primitive values in JSON (https://hl7.org/fhir/R4/datatypes.html#primitive and
 * https://hl7.org/fhir/R4/json.html#primitive): the JSON type, then the R4 regular expression.
 * Each returns a problem in words, or null; a message never repeats the value (it may be health data).
 */
type PrimitiveCheck = (value: unknown) => string | null;

// Regular expressions as published in the R4 datatype definitions (profiles-types.json).
const CODE = /^[^\s]+( [^\s]+)*$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const URI = /^\S+$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STRING = /^[ \r\n\t\S]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/;
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const CLOCK = 'T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const DATE = new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$`);
const DATE_TIME = new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(${CLOCK})?)?)?$`);
const INSTANT = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])${CLOCK}$`);

/** "Strings SHALL NOT exceed 1MB in size" (https://hl7.org/fhir/R4/datatypes.html#string). */
const MAX_STRING_LENGTH = 1024 * 1024;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function text(pattern: RegExp, expected: string): PrimitiveCheck {
  return (value) => {
    if (typeof value !== 'string') return `expected a JSON string (${expected})`;
    if (value.length > MAX_STRING_LENGTH) return 'longer than 1 MB';
    // \S admits U+0000, but FHIR strings are Unicode text and PostgreSQL text cannot hold it.
    if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which is not allowed';
    return pattern.test(value) ? null : `expected ${expected}`;
  };
}

function calendar(pattern: RegExp, expected: string): PrimitiveCheck {
  const format = text(pattern, expected);
  return (value) => format(value) ?? (isRealDate(value as string) ? null : 'not a real calendar date');
}

function integer(min: number, expected: string): PrimitiveCheck {
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= INT32_MAX ? null : `expected ${expected}`);
}

const CHECKS: Readonly<Record<string, PrimitiveCheck>> = {
  boolean: (v) => (typeof v === 'boolean' ? null : 'expected true or false'),
  integer: integer(INT32_MIN, 'a whole number (32-bit)'),
  positiveInt: integer(1, 'a whole number from 1'),
  unsignedInt: integer(0, 'a whole number from 0'),
  decimal: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'expected a JSON number'),
  string: text(STRING, 'a non-empty string'),
  markdown: text(STRING, 'non-empty markdown'),
  code: text(CODE, 'a code: no leading, trailing or double spaces'),
  id: text(ID, 'an id: 1–64 letters, digits, "-" or "."'),
  uri: text(URI, 'a URI without spaces'),
  url: text(URI, 'a URL without spaces'),
  canonical: text(URI, 'a canonical URL without spaces'),
  oid: text(OID, 'urn:oid: followed by an OID'),
  uuid: text(UUID, 'urn:uuid: followed by a lower-case UUID'),
  base64Binary: (v) => (typeof v === 'string' && BASE64.test(v.replace(/\s+/g, '')) ? null : 'expected base64 data'),
  date: calendar(DATE, 'a date: YYYY, YYYY-MM or YYYY-MM-DD'),
  dateTime: calendar(DATE_TIME, 'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone'),
  instant: calendar(INSTANT, 'YYYY-MM-DDThh:mm:ss with a time zone'),
  time: text(TIME, 'a time: hh:mm:ss'),
};

export function isPrimitiveType(type: string): boolean {
  return type in CHECKS || type === 'xhtml';
}

/** The problem with a primitive value, or null. Unknown type names pass (nothing to check). */
export function checkPrimitive(type: string, value: unknown): string | null {
  const check = CHECKS[type];
  return check ? check(value) : null;
}

/** The regexes allow 2023-02-31; the spec says dates "SHALL be valid dates". */
function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return true;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
