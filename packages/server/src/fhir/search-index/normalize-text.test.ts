import { describe, expect, it } from 'vitest';
import { MAX_INDEXED_TEXT_LENGTH, normalizeSearchText, truncateForIndex } from './normalize-text.js';

describe('search text normalisation (https://hl7.org/fhir/R4/search.html#string)', () => {
  it('ignores case and accents', () => {
    expect(normalizeSearchText('José Núñez')).toBe('jose nunez');
    expect(normalizeSearchText('ZOË Ångström')).toBe('zoe angstrom');
    expect(normalizeSearchText('İstanbul')).toBe('istanbul');
  });

  it('folds letters Unicode does not decompose', () => {
    expect(normalizeSearchText('Łódź')).toBe('lodz');
    expect(normalizeSearchText('Søren Straße')).toBe('soren strasse');
  });

  it('collapses and trims whitespace', () => {
    expect(normalizeSearchText('  van   der\tBerg \n')).toBe('van der berg');
  });

  it('gives the same result when asked again (cached)', () => {
    expect(normalizeSearchText('Systolic Blood Pressure')).toBe('systolic blood pressure');
    expect(normalizeSearchText('Systolic Blood Pressure')).toBe('systolic blood pressure');
  });

  it('cuts long text without splitting a surrogate pair', () => {
    expect(normalizeSearchText('a'.repeat(2000))).toHaveLength(MAX_INDEXED_TEXT_LENGTH);
    const cut = truncateForIndex('a'.repeat(MAX_INDEXED_TEXT_LENGTH - 1) + '😀');
    expect(cut).toHaveLength(MAX_INDEXED_TEXT_LENGTH - 1);
  });
});
