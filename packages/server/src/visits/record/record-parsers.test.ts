import fc from 'fast-check';
import { ZVitalsInput } from '@careline/contracts';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../monitoring/ingest/vital-kinds.js';
import { parseIfMatch } from './if-match.js';
import { divOfText, textOfDiv } from './note-composition.js';
import { FIELD_KINDS, parseVitals } from './vitals-input.js';

const NOW = new Date('2030-01-07T15:10:00Z');
const parse = (raw: Record<string, unknown>) => parseVitals(ZVitalsInput.parse(raw), NOW);
const fields = Object.entries(FIELD_KINDS) as [keyof typeof FIELD_KINDS, keyof typeof KINDS][];
const inRange = (k: keyof typeof KINDS) => fc.double({ min: KINDS[k].min, max: KINDS[k].max, noNaN: true });

describe('parseVitals', () => {
  it('accepts every plausible single measurement in its canonical unit, unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.integer({ min: 0, max: 1_000_000 }), ([field, kind], seed) => {
        const k = KINDS[kind];
        const value = k.min + ((k.max - k.min) * seed) / 1_000_000;
        const { readings, problems } = parse({ [field]: value });
        expect(problems).toEqual([]);
        expect(readings).toEqual([{ kind, values: { [kind]: value } }]);
      }),
    );
  });

  it('names the field of every implausible value and keeps nothing', () => {
    const outside = (k: keyof typeof KINDS) => fc.oneof(fc.double({ max: KINDS[k].min, maxExcluded: true, noNaN: true, min: -1e9 }), fc.double({ min: KINDS[k].max, minExcluded: true, noNaN: true, max: 1e9 }));
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.integer({ min: 40, max: 100 }), (pick, hr) => {
        const [field, kind] = pick;
        return fc.assert(
          fc.property(outside(kind), (bad) => {
            const others = field === 'heartRate' ? {} : { heartRate: hr };
            const { readings, problems } = parse({ ...others, [field]: bad, ...(field === 'temperature' ? { temperatureUnit: 'Cel' } : {}) });
            expect(readings).toEqual([]);
            expect(problems.map((p) => p.expression)).toContain(field);
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 10 },
    );
  });

  it('blood pressure: needs both values, diastolic below systolic', () => {
    fc.assert(
      fc.property(inRange('systolic'), inRange('diastolic'), fc.boolean(), (sys, dia, dropOne) => {
        const { readings, problems } = parse(dropOne ? { systolic: sys } : { systolic: sys, diastolic: dia });
        if (dropOne) expect(problems.map((p) => p.expression)).toEqual(['diastolic']);
        else if (dia >= sys) expect(problems.map((p) => p.expression)).toEqual(['diastolic']);
        else expect(readings).toEqual([{ kind: 'blood-pressure', values: { systolic: sys, diastolic: dia } }]);
      }),
    );
  });

  it('converts °F and lb to Cel and kg (rounded to 0.01) before judging', () => {
    fc.assert(
      fc.property(fc.integer({ min: 7700, max: 11300 }), fc.integer({ min: 300, max: 800 }), (f100, lb) => {
        const f = f100 / 100;
        const { readings, problems } = parse({ temperature: f, temperatureUnit: '[degF]', weight: lb, weightUnit: '[lb_av]' });
        expect(problems).toEqual([]);
        const t = readings.find((r) => r.kind === 'temperature')?.values.temperature ?? NaN;
        const kg = readings.find((r) => r.kind === 'weight')?.values.weight ?? NaN;
        expect(Math.abs(t - ((f - 32) * 5) / 9)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(kg - lb * 0.45359237)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });

  it('an empty form is a problem, never an empty success', () => {
    expect(parse({}).problems).toEqual([{ expression: 'body', message: 'Enter at least one measurement.' }]);
  });
});

describe('note narrative', () => {
  it('reads back exactly what was typed, and the div never carries markup of its own', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const div = divOfText(text);
        expect(textOfDiv(div)).toBe(text);
        expect(div.slice(div.indexOf('>') + 1, -'</div>'.length)).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('parseIfMatch', () => {
  it('reads W/"n", "n" and n; anything else is null', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('W/"#"', '"#"', '#', ' W/"#" '), (n, shape) => {
        expect(parseIfMatch(shape.replace('#', String(n)))).toBe(String(n).length <= 15 ? n : null);
      }),
    );
    fc.assert(fc.property(fc.string().filter((s) => !/^\s*(?:W\/)?"?\d{1,15}"?\s*$/.test(s)), (s) => {
      expect(parseIfMatch(s)).toBeNull();
    }));
    expect(parseIfMatch(undefined)).toBeUndefined();
  });
});
