import { describe, expect, it } from 'vitest';
import { isR4ResourceType, MODIFIERS_BY_TYPE, r4ResourceTypes, searchParameter, searchParametersFor } from './search-parameters.js';
import { expressionForType, splitUnion } from './split-expression.js';

describe('R4 resource types', () => {
  it('lists the concrete resource types from profiles-resources.json', () => {
    const types = r4ResourceTypes();
    expect(types).toContain('Patient');
    expect(types).toContain('Observation');
    expect(types).toContain('Bundle');
    expect(types).not.toContain('Resource');
    expect(types).not.toContain('DomainResource');
    expect(types.length).toBeGreaterThanOrEqual(145);
    expect(isR4ResourceType('Patient')).toBe(true);
    expect(isR4ResourceType('Quantity')).toBe(false);
  });
});

describe('search parameter registry', () => {
  it('narrows shared expressions to the branch for the type', () => {
    expect(searchParameter('Patient', 'given')?.expression).toBe('Patient.name.given');
    expect(searchParameter('Practitioner', 'given')?.expression).toBe('Practitioner.name.given');
    expect(searchParameter('Observation', 'patient')?.expression).toBe('Observation.subject.where(resolve() is Patient)');
  });

  it('keeps every branch that applies to the type', () => {
    expect(searchParameter('Observation', 'combo-code')?.expression).toBe('Observation.code | Observation.component.code');
    expect(searchParameter('Observation', 'value-quantity')?.expression).toBe('(Observation.value.ofType(Quantity)) | (Observation.value.ofType(SampledData))');
  });

  it('gives every type the Resource parameters, rebased on the type', () => {
    for (const type of ['Patient', 'Observation', 'Bundle', 'Binary']) {
      const params = searchParametersFor(type);
      expect(params.get('_id')?.expression).toBe(`${type}.id`);
      expect(params.get('_lastUpdated')).toMatchObject({ type: 'date', expression: `${type}.meta.lastUpdated` });
      for (const code of ['_tag', '_profile', '_security', '_source']) expect(params.has(code)).toBe(true);
    }
  });

  it('reports types, targets and modifiers', () => {
    const subject = searchParameter('Observation', 'subject');
    expect(subject).toMatchObject({ type: 'reference', url: 'http://hl7.org/fhir/SearchParameter/Observation-subject' });
    expect(subject?.targets).toEqual(expect.arrayContaining(['Patient', 'Group', 'Device', 'Location']));
    expect(subject?.modifiers).toEqual(MODIFIERS_BY_TYPE.reference);
    expect(searchParameter('Patient', 'name')?.modifiers).toEqual(['missing', 'exact', 'contains']);
    expect(searchParameter('Observation', 'code-value-quantity')?.type).toBe('composite');
  });

  it('has no expression where R4 gives none (_text, _content, _query)', () => {
    expect(searchParameter('Patient', '_text')?.expression).toBeNull();
    expect(searchParameter('Patient', '_content')?.expression).toBeNull();
  });

  it('is empty for an unknown type', () => {
    expect(searchParametersFor('NotAType').size).toBe(0);
  });
});

describe('splitting FHIRPath unions', () => {
  it('splits only at top-level bars', () => {
    expect(splitUnion("A.b | (A.c.where(d = 'x|y')) | A.e")).toEqual(['A.b', "(A.c.where(d = 'x|y'))", 'A.e']);
  });

  it('reads an unprefixed expression as relative to its only base (InsurancePlan-name)', () => {
    expect(expressionForType('name | alias', 'InsurancePlan', ['InsurancePlan'])).toBe('name | alias');
    expect(expressionForType('Patient.name | Person.name', 'Group', ['Patient', 'Person'])).toBeNull();
  });
});
