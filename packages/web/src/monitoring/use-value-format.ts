import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Clinical values in the user's locale, at most one decimal ("82.4" / "82,4"); short dates for axes. */
export function useValueFormat() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const value = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
    const day = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric' });
    return { value: (n: number) => value.format(n), day: (ms: number) => day.format(new Date(ms)) };
  }, [i18n.language]);
}
