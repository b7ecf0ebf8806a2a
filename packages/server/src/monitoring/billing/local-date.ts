/**
 * Calendar arithmetic in a clinic's IANA time zone. Billing periods and "days with readings" are
 * counted in the clinic's local days (CMS counts days of service, not UTC days), so a reading at
 * 23:30 in Denver on the 15th belongs to the 15th even though it is the 16th in UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** 'YYYY-MM-DD' of the instant in the time zone. Throws RangeError for an unknown zone. */
export function localDate(at: Date, timeZone: string): string {
  return formatter(timeZone).format(at);
}

/** 'YYYY-MM-DD' plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM' of a local date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    localDate(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instants bounding a local calendar month, widened by a day on each side: callers fetch rows
 * in this UTC window and keep those whose local date falls in the month (no offset arithmetic,
 * so daylight-saving changes cannot misplace a row).
 */
export function monthWindow(month: string): { from: Date; to: Date } {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${String(y + 1)}-01-01` : `${String(y)}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: new Date(`${addDays(first, -1)}T00:00:00Z`), to: new Date(`${addDays(next, 1)}T00:00:00Z`) };
}

/** The local calendar month of an instant in the zone. */
export function localMonth(at: Date, timeZone: string): string {
  return monthOf(localDate(at, timeZone));
}
