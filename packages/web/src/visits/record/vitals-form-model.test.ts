import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_VITALS, parseDecimal, vitalsBody } from './vitals-form-model';

describe('vitals form model', () => {
  it('reads decimals with a point or a comma, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('.', ','), (whole, frac, sep) => {
        expect(parseDecimal(`${String(whole)}${sep}${String(frac).padStart(2, '0')}`)).toBeCloseTo(whole + frac / 100, 6);
      }),
    );
    fc.assert(
      fc.property(fc.string().filter((s) => !/^\s*\d{1,4}(?:[.,]\d{1,2})?\s*$/.test(s) && s.trim() !== ''), (s) => {
        expect(parseDecimal(s)).toBeNull();
      }),
    );
    expect(parseDecimal('  ')).toBeUndefined();
  });

  it('sends only what was typed, with units only beside their value; BP needs both halves', () => {
    expect(vitalsBody(EMPTY_VITALS)).toEqual({ errors: { form: 'empty' } });
    expect(vitalsBody({ ...EMPTY_VITALS, systolic: '120' })).toEqual({ errors: { diastolic: 'bothBp' } });
    expect(vitalsBody({ ...EMPTY_VITALS, heartRate: 'fast' })).toEqual({ errors: { heartRate: 'notANumber' } });
    expect(vitalsBody({ ...EMPTY_VITALS, systolic: '120', diastolic: '80', temperature: '99,5', temperatureUnit: '[degF]' })).toEqual({
      body: { systolic: 120, diastolic: 80, temperature: 99.5, temperatureUnit: '[degF]' },
    });
  });
});
