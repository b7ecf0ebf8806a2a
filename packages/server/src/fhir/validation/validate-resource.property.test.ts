import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ISSUES } from './validation-issue.js';
import { validateResource } from './validate-resource.js';

const TYPES = ['Patient', 'Observation', 'Encounter', 'Bundle', 'Questionnaire', 'Nope'] as const;
const KEYS = ['id', 'meta', 'status', 'code', 'coding', 'subject', 'reference', 'valueQuantity', 'value', 'component', 'contained', 'entry', 'resource',
  'resourceType', 'name', 'given', '_given', 'item', 'extension', 'url', 'text', 'div', 'effectiveDateTime', 'valueString'];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, 0, 1.5, '', 'final', 'Patient/1', '2024', '<div>x</div>', 'Observation'),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
  ),
})).value;

const resource = fc.record({ resourceType: fc.constantFrom(...TYPES) }).chain((head) =>
  fc.dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 8 }).map((body) => ({ ...body, ...head })),
);

describe('validateResource on arbitrary JSON', () => {
  it('never throws, and either returns the input or a bounded list of located issues', () => {
    fc.assert(
      fc.property(fc.oneof(resource, json), (input) => {
        const result = validateResource(input);
        if (result.ok) {
          expect(result.resource).toBe(input);
          return;
        }
        expect(result.issues.length).toBeGreaterThan(0);
        expect(result.issues.length).toBeLessThanOrEqual(MAX_ISSUES);
        for (const issue of result.issues) {
          expect(issue.diagnostics.length).toBeGreaterThan(0);
          expect(issue.expression.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('stops at a nesting depth instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { url: 'http://example.org/e', valueString: 'x' };
    for (let i = 0; i < 5000; i++) deep = { url: 'http://example.org/e', extension: [deep] };
    const result = validateResource({ resourceType: 'Patient', extension: [deep] });
    expect(result.ok).toBe(false);
  });
});
