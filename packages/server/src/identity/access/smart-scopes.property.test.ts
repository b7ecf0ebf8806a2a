import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesScope, type ResourceFacts, type ScopeRule } from '../../fhir/access/access-policy.js';
import { formatSmartScope, parseSmartScope, permits } from './smart-scopes.js';

const TYPES = ['*', 'Observation', 'Patient', 'Encounter', 'Practitioner'];

describe('SMART system scopes', () => {
  it('parses the v1 forms', () => {
    expect(parseSmartScope('system/Observation.read')).toEqual({ type: 'Observation', create: false, read: true, update: false, delete: false, search: true });
    expect(parseSmartScope('system/*.write')).toMatchObject({ type: '*', create: true, update: true, delete: true, read: false });
    expect(parseSmartScope('system/*.*')).toMatchObject({ read: true, create: true });
    for (const bad of ['user/Observation.read', 'patient/*.read', 'system/Nope.read', 'system/Observation.', 'system/Observation.sr', 'system/observation.read', ' system/*.read', 'system/*.read ']) {
      expect(parseSmartScope(bad), bad).toBeUndefined();
    }
  });

  it('round-trips every v2 permission set', () => {
    const perms = fc.record({ type: fc.constantFrom(...TYPES), create: fc.boolean(), read: fc.boolean(), update: fc.boolean(), delete: fc.boolean(), search: fc.boolean() });
    fc.assert(
      fc.property(perms, (p) => {
        const parsed = parseSmartScope(formatSmartScope(p));
        if (!p.create && !p.read && !p.update && !p.delete && !p.search) expect(parsed).toBeUndefined();
        else expect(parsed).toEqual(p);
      }),
    );
  });

  it('never throws and never grants from a malformed string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const parsed = parseSmartScope(s);
        if (parsed !== undefined) expect(s.startsWith('system/')).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom<'read' | 'create' | 'update' | 'delete' | 'search'>('read', 'create', 'update', 'delete', 'search'), (suffix, what) => {
        // Anything appended after a valid scope makes it invalid, and so grants nothing.
        const scopes = [parseSmartScope(`system/*.*${suffix}`)].filter((x) => x !== undefined);
        expect(permits(scopes, 'Observation', what)).toBe(false);
        expect(permits([parseSmartScope('system/*.*')].filter((x) => x !== undefined), 'Observation', what)).toBe(true);
      }),
    );
  });
});

describe('scope rules in memory', () => {
  const compartment = fc.constantFrom('Patient/a', 'Patient/b', 'Organization/o1', 'Organization/o2');
  const facts = fc.record({ resourceType: fc.constantFrom('Observation', 'Patient'), id: fc.constantFrom('a', 'x'), compartments: fc.uniqueArray(compartment, { maxLength: 4 }) });
  const rule: fc.Arbitrary<ScopeRule> = fc.record(
    { types: fc.uniqueArray(fc.constantFrom('Observation', 'Patient'), { maxLength: 2 }), anyOf: fc.uniqueArray(compartment, { maxLength: 3 }), allOf: fc.uniqueArray(compartment, { maxLength: 2 }), noPatient: fc.boolean(), refs: fc.uniqueArray(fc.constantFrom('Patient/a', 'Observation/x'), { maxLength: 2 }) },
    { requiredKeys: [] },
  );

  it('a rule set admits a row iff one of its rules does; no rules admit nothing', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 3 }), facts, (rules, f: ResourceFacts) => {
        const one = rules.map((r) => matchesScope({ kind: 'rules', rules: [r] }, f));
        expect(matchesScope({ kind: 'rules', rules }, f)).toBe(one.some(Boolean));
      }),
    );
  });

  it('each condition narrows: adding one never admits more', () => {
    fc.assert(
      fc.property(rule, rule, facts, (a, b, f: ResourceFacts) => {
        const both: ScopeRule = { ...a, ...b };
        if (matchesScope({ kind: 'rules', rules: [both] }, f)) {
          const onlyB: ScopeRule = b;
          expect(matchesScope({ kind: 'rules', rules: [onlyB] }, f)).toBe(true);
        }
      }),
    );
  });
});
