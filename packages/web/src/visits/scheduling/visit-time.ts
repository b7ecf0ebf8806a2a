/**
 * When a visit is, said for the person reading: in their language and their device's time zone, and —
 * when the clinician's zone is different — also in the clinician's (older patients travel, clinicians
 * work across zones). The join window follows the server's defaults (config.video) until the
 * appointment contract carries its own opening times.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, browserTimeZone, dateIn } from './zoned-time';

/** CARELINE_VISIT_JOIN_EARLY_MINUTES / _LATE_MINUTES defaults (platform/config/config.ts). */
export const DEFAULT_JOIN_EARLY_MINUTES = 15;
export const DEFAULT_JOIN_LATE_MINUTES = 60;

export type JoinState = 'not-yet' | 'open' | 'closed';

/** Whether a visit's link is open at `now`: from `early` minutes before its start to `late` minutes after its end. */
export function joinState(now: Date, start: string, end: string, early = DEFAULT_JOIN_EARLY_MINUTES, late = DEFAULT_JOIN_LATE_MINUTES): JoinState {
  const t = now.getTime();
  if (t < Date.parse(start) - early * 60_000) return 'not-yet';
  if (t > Date.parse(end) + late * 60_000) return 'closed';
  return 'open';
}

/** Minutes until the join window opens (0 when already open or past), for "You can join in 12 minutes". */
export function minutesUntilJoin(now: Date, start: string, early = DEFAULT_JOIN_EARLY_MINUTES): number {
  return Math.max(0, Math.ceil((Date.parse(start) - early * 60_000 - now.getTime()) / 60_000));
}

/** How to name a day relative to today in a zone: 'today', 'tomorrow' or undefined (use the date). */
export function relativeDay(instant: Date, now: Date, zone: string): 'today' | 'tomorrow' | undefined {
  const day = dateIn(instant, zone);
  const today = dateIn(now, zone);
  if (day === today) return 'today';
  if (day === addDays(today, 1)) return 'tomorrow';
  return undefined;
}

const CALENDAR_STYLES: Record<'long' | 'short' | 'plain', Intl.DateTimeFormatOptions> = {
  long: { weekday: 'long', day: 'numeric', month: 'long' },
  short: { weekday: 'short', day: 'numeric' },
  plain: { dateStyle: 'long' },
};

export function visitFormatter(locale: string, viewerZone: string) {
  const mk = (o: Intl.DateTimeFormatOptions, zone = viewerZone) => new Intl.DateTimeFormat(locale, { ...o, timeZone: zone });
  const weekdayDate = mk({ weekday: 'long', day: 'numeric', month: 'long' });
  const longDate = mk({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const shortDay = mk({ weekday: 'short', day: 'numeric', month: 'short' });
  const time = mk({ hour: 'numeric', minute: '2-digit' });
  const zoneName = (zone: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'shortGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? zone;
  return {
    viewerZone,
    /** "Monday, 7 December" (with the year when not this year). */
    day: (iso: string | Date, now = new Date()) => {
      const d = new Date(iso);
      return (d.getFullYear() === now.getFullYear() ? weekdayDate : longDate).format(d);
    },
    /** An hour of the wall clock as a label ("9 AM", "9"), for the calendar's time column. */
    hour: (h: number) => new Intl.DateTimeFormat(locale, { hour: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, h))),
    shortDay: (iso: string | Date) => shortDay.format(new Date(iso)),
    time: (iso: string | Date) => time.format(new Date(iso)),
    /** "9:00 – 9:30 AM" in the viewer's zone. */
    timeRange: (start: string, end: string) => time.formatRange(new Date(start), new Date(end)),
    /** A date given as 'YYYY-MM-DD' (no zone shift: it is already a local date). */
    calendarDate: (date: string, style: 'long' | 'short' | 'plain' = 'long') =>
      new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...CALENDAR_STYLES[style] }).format(new Date(`${date}T12:00:00Z`)),
    /** The time in another zone when it differs from the viewer's, e.g. "10:00 (Madrid)". */
    inZone: (iso: string, zone: string): string | undefined => {
      if (zone === viewerZone) return undefined;
      const other = mk({ hour: 'numeric', minute: '2-digit' }, zone).format(new Date(iso));
      if (other === time.format(new Date(iso)) && dateIn(new Date(iso), zone) === dateIn(new Date(iso), viewerZone)) return undefined;
      return `${other} (${zoneName(zone)})`;
    },
    zoneName,
  };
}

export type VisitFormatter = ReturnType<typeof visitFormatter>;

export function useVisitFormat(): VisitFormatter {
  const { i18n } = useTranslation();
  return useMemo(() => visitFormatter(i18n.language, browserTimeZone()), [i18n.language]);
}

/** The current time, refreshed every `intervalMs`, so a join button appears when its window opens. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
