import { describe, expect, it } from 'vitest';
import { initialLanguage, LANGUAGE_STORAGE_KEY, rememberLanguage } from './language';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('language choice', () => {
  it('prefers the remembered code, then the browser, then English', () => {
    expect(initialLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'es' }), ['en-US'])).toBe('es');
    expect(initialLanguage(memoryStorage(), ['es-MX', 'en'])).toBe('es');
    expect(initialLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'xx' }), ['fr-FR'])).toBe('en');
  });

  it('stores the language code and nothing else', () => {
    const s = memoryStorage();
    rememberLanguage('es', s);
    expect([...s.data.entries()]).toEqual([[LANGUAGE_STORAGE_KEY, 'es']]);
  });
});
