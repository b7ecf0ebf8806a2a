import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, type Messages } from './en';
import { initialLanguage, LANGUAGES, rememberLanguage, type Language } from './language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** English ships in the first load; other catalogues are fetched when chosen (a few kB each). */
async function catalogue(lng: Language): Promise<Messages> {
  switch (lng) {
    case 'en':
      return en;
    case 'es':
      return (await import('./es')).es;
  }
}

async function ensureLoaded(lng: Language): Promise<void> {
  if (!i18next.hasResourceBundle(lng, 'translation')) i18next.addResourceBundle(lng, 'translation', await catalogue(lng));
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = initialLanguage();
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  i18next.on('languageChanged', (l) => {
    document.documentElement.lang = l;
  });
  if (lng !== 'en') {
    await ensureLoaded(lng);
    await i18next.changeLanguage(lng);
  }
  document.documentElement.lang = i18next.language;
  return i18next;
}

export async function changeLanguage(lng: Language): Promise<void> {
  rememberLanguage(lng);
  await ensureLoaded(lng);
  await i18next.changeLanguage(lng);
}
