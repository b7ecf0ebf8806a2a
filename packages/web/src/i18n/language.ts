/**
 * The user's language: remembered on the device (localStorage holds the two-letter code only — never
 * anything about health) and, once signed in, on the account (PUT /auth/me/preferences), which wins
 * when the user signs in elsewhere.
 */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_STORAGE_KEY = 'careline.language';

export function isLanguage(value: string | null | undefined): value is Language {
  return value !== null && value !== undefined && (LANGUAGES as readonly string[]).includes(value);
}

/** Remembered choice, else the browser's preferred language when we have it, else English. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | undefined = safeStorage(), preferred: readonly string[] = browserLanguages()): Language {
  const saved = storage?.getItem(LANGUAGE_STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function rememberLanguage(lng: Language, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  storage?.setItem(LANGUAGE_STORAGE_KEY, lng);
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages;
}
