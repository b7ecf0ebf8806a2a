import { describe, expect, it } from 'vitest';
import { en } from './en';
import { es } from './es';

function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else if (v && typeof v === 'object') for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const english = leaves(en);
  const spanish = leaves(es);

  it('Spanish has exactly the English keys', () => {
    expect([...spanish.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('no message is empty and every placeholder is kept', () => {
    for (const [key, text] of english) {
      const other = spanish.get(key) ?? '';
      expect(text.trim().length, key).toBeGreaterThan(0);
      expect(other.trim().length, key).toBeGreaterThan(0);
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it('Spanish is actually translated (apart from names)', () => {
    const same = [...english].filter(([key, text]) => spanish.get(key) === text && !/^(app\.name|languages\..+|portal\.visitAt|admin\.no)$/.test(key));
    expect(same.map(([k]) => k)).toEqual([]);
  });
});
