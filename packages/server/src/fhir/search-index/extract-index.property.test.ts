import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractIndex } from './extract-index.js';

const TYPES = ['Patient', 'Observation', 'Encounter', 'Appointment', 'Bundle', 'Questionnaire'] as const;

/** Arbitrary JSON under real element names, so expressions reach strange values rather than nothing. */
const KEYS = ['id', 'meta', 'code', 'coding', 'system', 'value', 'subject', 'reference', 'identifier', 'name', 'given', 'family', 'period', 'start', 'end',
  'effectiveDateTime', 'effectivePeriod', 'valueQuantity', 'component', 'birthDate', 'telecom', 'participant', 'actor', 'entry', 'resource', 'resourceType',
  'item', 'type', 'text', 'status', 'lastUpdated', 'comparator', 'unit', 'event', 'address', 'line', 'link', 'other'];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1.5, 1e21, '', '2024', '2024-02-30', 'Patient/x', 'urn:uuid:nope', '#c', 'José'),
    fc.string(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
  ),
})).value;

const resource = fc.record({ resourceType: fc.constantFrom(...TYPES) }).chain((head) =>
  fc.dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 8 }).map((body) => ({ ...body, ...head })),
);

describe('extractIndex on arbitrary JSON', () => {
  it('never throws and returns well-formed rows', () => {
    fc.assert(
      fc.property(fc.oneof(resource, json), (input) => {
        const { rows, compartments } = extractIndex(input);
        const size = JSON.stringify(input)?.length ?? 0;
        expect(rows.length).toBeLessThanOrEqual(50 + 20 * size);
        for (const row of rows) {
          expect(typeof row.param).toBe('string');
          if (row.kind === 'date') expect(row.low <= row.high).toBe(true);
          if (row.kind === 'string') expect(row.value.length).toBeLessThanOrEqual(512);
        }
        for (const c of compartments) expect(c).toMatch(/^Patient\/[A-Za-z0-9\-.]{1,64}$/);
      }),
      { numRuns: 500 },
    );
  });
});
