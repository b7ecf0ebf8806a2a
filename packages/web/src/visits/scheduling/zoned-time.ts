/**
 * Calendar dates and wall-clock times in an IANA time zone, with nothing but Intl (no date library in
 * the browser bundle). A calendar date is a 'YYYY-MM-DD' string; an instant is a Date. Daylight-saving
 * safe: a day is from local midnight to the next local midnight (23 or 25 hours on change days).
 */

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock date and time of an instant in a zone. */
export function zonedParts(instant: Date, zone: string): LocalDateTime & { readonly second: number } {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  // Some engines print midnight as 24 even with h23; it is the same day's 0 h.
  const hour = out.hour === 24 ? 0 : (out.hour ?? 0);
  return { year: out.year ?? 1970, month: out.month ?? 1, day: out.day ?? 1, hour, minute: out.minute ?? 0, second: out.second ?? 0 };
}

/** The zone's offset from UTC at an instant, in minutes (e.g. -300 for New York in winter). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const p = zonedParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const truncated = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - truncated) / 60_000);
}

/**
 * The instant of a wall-clock time in a zone. A time skipped by a spring-forward change is moved
 * forward by the gap (02:30 → 03:30); a repeated time in a fall-back change takes the first one.
 */
export function instantOf(local: LocalDateTime, zone: string): Date {
  const localTs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const o1 = zoneOffsetMinutes(new Date(localTs), zone);
  let guess = localTs - o1 * 60_000;
  const o2 = zoneOffsetMinutes(new Date(guess), zone);
  if (o1 === o2) {
    // Fall-back overlap: an earlier instant may show the same wall clock with the larger offset.
    const earlier = localTs - Math.max(o1, zoneOffsetMinutes(new Date(guess - 3 * 3_600_000), zone)) * 60_000;
    return sameWallClock(new Date(earlier), local, zone) ? new Date(earlier) : new Date(guess);
  }
  guess = localTs - o2 * 60_000;
  const o3 = zoneOffsetMinutes(new Date(guess), zone);
  if (o2 === o3) return new Date(guess);
  // In a gap: neither offset gives the wall clock back; use the offset before the change (moves forward).
  return new Date(localTs - Math.min(o2, o3) * 60_000);
}

function sameWallClock(instant: Date, local: LocalDateTime, zone: string): boolean {
  const p = zonedParts(instant, zone);
  return p.year === local.year && p.month === local.month && p.day === local.day && p.hour === local.hour && p.minute === local.minute;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function splitDate(date: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return [y, m, d];
}

function fromUtcDate(dt: Date): string {
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

/** The calendar date of an instant in a zone. */
export function dateIn(instant: Date, zone: string): string {
  const p = zonedParts(instant, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes since local midnight of an instant's wall clock in a zone (0–1439). */
export function minuteOfDay(instant: Date, zone: string): number {
  const p = zonedParts(instant, zone);
  return p.hour * 60 + p.minute;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = splitDate(date);
  return fromUtcDate(new Date(Date.UTC(y, m - 1, d + days)));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = splitDate(date);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The Monday of the (ISO) week a date lies in. */
export function startOfWeek(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** The seven dates of the week a date lies in, Monday first. */
export function weekDays(date: string): string[] {
  const monday = startOfWeek(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** A date's first instant and the next date's first instant in a zone (a half-open range). */
export function dayBounds(date: string, zone: string): { readonly start: Date; readonly end: Date } {
  const [y, m, d] = splitDate(date);
  const [ny, nm, nd] = splitDate(addDays(date, 1));
  return {
    start: instantOf({ year: y, month: m, day: d, hour: 0, minute: 0 }, zone),
    end: instantOf({ year: ny, month: nm, day: nd, hour: 0, minute: 0 }, zone),
  };
}

/** The browser's time zone (falls back to UTC where Intl cannot tell). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether a string is an IANA zone this browser knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** 'HH:MM' of minutes since midnight. */
export function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Minutes since midnight of 'HH:MM' (00:00–24:00), or undefined. */
export function parseHhmm(s: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}
