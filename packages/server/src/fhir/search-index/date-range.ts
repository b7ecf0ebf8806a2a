/**
 * The instant range a FHIR date, dateTime or instant covers. A date search compares ranges: the
 * precision of a value is the range it means, so "2024" is all of 2024
 * (https://hl7.org/fhir/R4/search.html#date).
 */
export interface InstantRange {
  readonly low: string;
  readonly high: string;
}

/** Bounds standing in for "no start" / "no end" (an open Period), valid as PostgreSQL timestamptz. */
export const EARLIEST_INSTANT = '0001-01-01T00:00:00.000Z';
export const LATEST_INSTANT = '9999-12-31T23:59:59.999Z';

const MIN_MS = Date.parse(EARLIEST_INSTANT);
const MAX_MS = Date.parse(LATEST_INSTANT);

// R4 date / dateTime / instant (https://hl7.org/fhir/R4/datatypes.html#dateTime), loosened to accept
// hh:mm without seconds and a time without a zone, which some senders produce.
const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function dateRange(text: string): InstantRange | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo);
  const day = d === undefined ? undefined : Number(d);
  if (year < 1 || (month !== undefined && (month < 1 || month > 12))) return null;
  if (month !== undefined && day !== undefined && (day < 1 || day > daysInMonth(year, month))) return null;
  if (h === undefined || mi === undefined) return calendarRange(year, month, day);
  const [hour, minute, second] = [Number(h), Number(mi), s === undefined ? 0 : Number(s)];
  // Second 60 is a leap second (allowed by the R4 regex); it is read as the last moment of :59.
  if (hour > 23 || minute > 59 || second > 60) return null;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const start = utc(year, (month ?? 1) - 1, day ?? 1, hour, minute, Math.min(second, 59), millis) - offsetMs(zone);
  // The unit of the last digit given is the width of the range: a minute, a second, 10 ms…
  const width = s === undefined ? 60_000 : fraction === undefined ? 1000 : 10 ** Math.max(0, 3 - fraction.length);
  return clamp(start, start + width - 1);
}

/**
 * A date without a time has no zone in FHIR (the zone is unknown). Careline reads it as UTC, so
 * "2024-05-01" is 2024-05-01T00:00:00.000Z to 2024-05-01T23:59:59.999Z; a dateTime that carries a
 * time but no zone (invalid in R4, but tolerated here) is read as UTC too.
 */
function calendarRange(year: number, month: number | undefined, day: number | undefined): InstantRange | null {
  if (month === undefined) return clamp(utc(year, 0, 1), utc(year + 1, 0, 1) - 1);
  if (day === undefined) return clamp(utc(year, month - 1, 1), utc(year, month, 1) - 1);
  return clamp(utc(year, month - 1, day), utc(year, month - 1, day + 1) - 1);
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear takes the year as given.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  return sign * (hours * 60 + minutes) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

function clamp(low: number, high: number): InstantRange | null {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  return { low: new Date(Math.min(Math.max(low, MIN_MS), MAX_MS)).toISOString(), high: new Date(Math.min(Math.max(high, MIN_MS), MAX_MS)).toISOString() };
}
