import { describe, expect, it } from 'vitest';
import { r4ResourceTypes } from '../definitions/resource-types.js';
import { sampleResource } from './sample-resource.js';
import { validateResource, type ValidationIssue } from './validate-resource.js';

const bloodPressure = {
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2024-05-01T10:00:00+02:00',
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 128, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 82, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
  ],
};

function issuesOf(input: unknown): ValidationIssue[] {
  const result = validateResource(input);
  return result.ok ? [] : result.issues;
}

function expectOneIssueAt(input: unknown, expression: string, diagnostics?: RegExp): void {
  const issues = issuesOf(input);
  expect(issues.map((i) => i.expression)).toEqual([[expression]]);
  if (diagnostics) expect(issues[0]?.diagnostics).toMatch(diagnostics);
}

describe('validateResource: what it accepts', () => {
  it('accepts a blood-pressure reading and returns it', () => {
    const result = validateResource(bloodPressure);
    expect(result).toEqual({ ok: true, resource: bloodPressure });
  });

  it('accepts a generated instance of every R4 resource type', () => {
    const rejected = r4ResourceTypes().flatMap((type) =>
      [0, 1, 2].flatMap((seed) => issuesOf(sampleResource(type, seed)).map((i) => `${type}#${seed}: ${i.expression.join()} ${i.diagnostics}`)),
    );
    expect(rejected).toEqual([]);
  });

  it('accepts primitive extensions and aligned nulls in repeating primitives', () => {
    expect(issuesOf({ ...bloodPressure, _status: { extension: [{ url: 'http://example.org/x', valueString: 'y' }] } })).toEqual([]);
    const patient = { resourceType: 'Patient', name: [{ given: ['Ana', null], _given: [null, { extension: [{ url: 'http://example.org/n', valueCode: 'x' }] }] }] };
    expect(issuesOf(patient)).toEqual([]);
  });

  it('accepts contained resources and transaction Bundles', () => {
    const withContained = { ...bloodPressure, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } };
    expect(issuesOf(withContained)).toEqual([]);
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a', resource: bloodPressure, request: { method: 'POST', url: 'Observation' } }],
    };
    expect(issuesOf(bundle)).toEqual([]);
  });
});

describe('validateResource: what it rejects, and where', () => {
  it('rejects an unknown element', () => {
    expectOneIssueAt({ ...bloodPressure, colour: 'red' }, 'Observation.colour', /unknown element/);
    expectOneIssueAt({ ...bloodPressure, component: [{ ...bloodPressure.component[0], zz: 1 }] }, 'Observation.component[0].zz');
  });

  it('rejects a value of the wrong JSON type', () => {
    expectOneIssueAt({ ...bloodPressure, status: 5 }, 'Observation.status', /string/);
    expectOneIssueAt({ ...bloodPressure, component: [{ ...bloodPressure.component[0], valueQuantity: { value: '128' } }] }, 'Observation.component[0].value.ofType(Quantity).value', /number/);
    expectOneIssueAt({ ...bloodPressure, code: [bloodPressure.code] }, 'Observation.code', /not an array/);
    expectOneIssueAt({ ...bloodPressure, category: bloodPressure.category[0] }, 'Observation.category', /array/);
  });

  it('rejects bad dates and instants', () => {
    expectOneIssueAt({ ...bloodPressure, effectiveDateTime: '2024-13-01' }, 'Observation.effective.ofType(dateTime)');
    expectOneIssueAt({ ...bloodPressure, effectiveDateTime: '2024-05-01T10:00' }, 'Observation.effective.ofType(dateTime)');
    expectOneIssueAt({ ...bloodPressure, effectiveDateTime: '2023-02-29' }, 'Observation.effective.ofType(dateTime)', /calendar/);
    expectOneIssueAt({ ...bloodPressure, issued: '2024-05-01' }, 'Observation.issued');
    expectOneIssueAt({ resourceType: 'Patient', birthDate: '1974-12-25T00:00:00Z' }, 'Patient.birthDate');
  });

  it('rejects missing required elements (Observation.status, Observation.code)', () => {
    const { status: _s, ...noStatus } = bloodPressure;
    expectOneIssueAt(noStatus, 'Observation.status', /missing/);
    const { code: _c, ...noCode } = bloodPressure;
    expectOneIssueAt(noCode, 'Observation.code', /missing/);
  });

  it('rejects a code outside a required binding', () => {
    expectOneIssueAt({ ...bloodPressure, status: 'bogus' }, 'Observation.status', /final/);
    expectOneIssueAt({ resourceType: 'Patient', gender: 'M' }, 'Patient.gender', /male, female/);
    expectOneIssueAt({ ...bloodPressure, component: [{ ...bloodPressure.component[0], valueQuantity: { value: 1, comparator: '~' } }] }, 'Observation.component[0].value.ofType(Quantity).comparator');
  });

  it('does not echo the rejected value', () => {
    const issues = issuesOf({ resourceType: 'Patient', gender: 'HIV-positive' });
    expect(issues[0]?.diagnostics).not.toContain('HIV');
  });

  it('rejects malformed references and references to types the element does not allow', () => {
    expectOneIssueAt({ ...bloodPressure, subject: { reference: 'not a reference' } }, 'Observation.subject.reference', /Type\/id/);
    expectOneIssueAt({ ...bloodPressure, subject: { reference: 'Patient/' } }, 'Observation.subject.reference');
    expectOneIssueAt({ ...bloodPressure, subject: { reference: 'Spaceship/1' } }, 'Observation.subject.reference');
    expectOneIssueAt({ ...bloodPressure, subject: { reference: 'Practitioner/1' } }, 'Observation.subject.reference', /Patient, Group, Device, Location/);
    expect(issuesOf({ ...bloodPressure, subject: { reference: 'https://other.example/fhir/Patient/1' } })).toEqual([]);
    expect(issuesOf({ ...bloodPressure, subject: { type: 'Patient', identifier: { system: 'urn:mrn', value: '1' } } })).toEqual([]);
  });

  it('rejects bad ids, uris and codes', () => {
    expectOneIssueAt({ ...bloodPressure, id: 'has space' }, 'Observation.id');
    expectOneIssueAt({ ...bloodPressure, id: 'x'.repeat(65) }, 'Observation.id');
    expectOneIssueAt({ ...bloodPressure, meta: { profile: ['http://example.org/a b'] } }, 'Observation.meta.profile[0]');
    expectOneIssueAt({ ...bloodPressure, status: ' final' }, 'Observation.status');
  });

  it('rejects JSON shapes FHIR forbids: null, empty arrays, empty objects, two types of one choice', () => {
    expectOneIssueAt({ ...bloodPressure, issued: null }, 'Observation.issued', /null/);
    expectOneIssueAt({ ...bloodPressure, category: [] }, 'Observation.category', /empty/);
    expectOneIssueAt({ ...bloodPressure, code: {} }, 'Observation.code', /empty/);
    expectOneIssueAt({ ...bloodPressure, valueString: 'a', valueBoolean: true }, 'Observation.value', /more than one type/);
    expectOneIssueAt({ resourceType: 'Patient', name: [{ given: ['Ana', null] }] }, 'Patient.name[0].given[1]', /null/);
  });

  it('rejects unsafe narrative', () => {
    const text = (div: string) => ({ ...bloodPressure, text: { status: 'generated', div } });
    expect(issuesOf(text('<div xmlns="http://www.w3.org/1999/xhtml"><b>BP</b> 128/82</div>'))).toEqual([]);
    expectOneIssueAt(text('<div><script>alert(1)</script></div>'), 'Observation.text.div');
    expectOneIssueAt(text('<div><img src="x" onerror="alert(1)"/></div>'), 'Observation.text.div');
    expectOneIssueAt(text('<div><a href="javascript:alert(1)">x</a></div>'), 'Observation.text.div');
    expectOneIssueAt(text('<p>not a div</p>'), 'Observation.text.div');
  });

  it('checks contained and Bundle entry resources with their own paths', () => {
    expectOneIssueAt({ ...bloodPressure, contained: [{ resourceType: 'Patient', gender: 'x' }] }, 'Observation.contained[0].gender');
    expectOneIssueAt({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Nope' } }] }, 'Bundle.entry[0].resource.resourceType');
  });

  it('rejects what is not an R4 resource', () => {
    expectOneIssueAt({ resourceType: 'Foo' }, 'resourceType');
    expectOneIssueAt({ resourceType: 'Quantity', value: 1 }, 'resourceType');
    expectOneIssueAt({ status: 'final' }, 'resourceType');
    expect(issuesOf(42)).toEqual([{ diagnostics: expect.stringMatching(/JSON object/) as unknown, expression: [] }]);
    expect(issuesOf(undefined)[0]?.expression).toEqual([]);
  });

  it('enforces the size limit', () => {
    const big = { ...bloodPressure, note: [{ text: 'x'.repeat(2000) }] };
    expect(validateResource(big, { maxBytes: 1000 }).ok).toBe(false);
    expect(validateResource(big, { maxBytes: 10_000 }).ok).toBe(true);
    expect(validateResource(bloodPressure, { jsonBytes: 2_000_000 }).ok).toBe(false);
    const huge = { ...bloodPressure, note: [{ text: 'x'.repeat(1_100_000) }] };
    expect(issuesOf(huge)).toEqual([{ diagnostics: expect.stringMatching(/at most 1048576/) as unknown, expression: [] }]);
  });

  it('reports every problem, up to a limit', () => {
    const issues = issuesOf({ ...bloodPressure, status: 'bogus', issued: 'today', colour: 'red' });
    expect(issues.map((i) => i.expression[0]).sort()).toEqual(['Observation.colour', 'Observation.issued', 'Observation.status']);
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`x${i}`, 1]));
    expect(issuesOf({ ...bloodPressure, ...many })).toHaveLength(50);
  });
});
