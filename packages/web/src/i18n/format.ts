import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Dates, times and numbers in the user's language and the device's time zone. */
export function formatterFor(locale: string, timeZone?: string) {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: zone });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: zone });
  const number = new Intl.NumberFormat(locale);
  const toDate = (v: string | Date) => (typeof v === 'string' ? new Date(v) : v);
  return {
    dateTime: (v: string | Date) => dateTime.format(toDate(v)),
    date: (v: string | Date) => date.format(toDate(v)),
    time: (v: string | Date) => time.format(toDate(v)),
    number: (n: number) => number.format(n),
  };
}

export function useFormat() {
  const { i18n } = useTranslation();
  return useMemo(() => formatterFor(i18n.language), [i18n.language]);
}
