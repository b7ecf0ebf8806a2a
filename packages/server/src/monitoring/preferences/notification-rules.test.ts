import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROGRAMS } from '../use-cases/enroll-patient.types.js';
import { SEVERITIES, ZAlertPreferences } from './alert-preferences.types.js';
import { escalationRecipients, liveRecipients, preferencesOf, programOf, rowOf } from './notification-rules.js';

const practitioner = fc.constantFrom('Practitioner/a', 'Practitioner/b', 'Practitioner/c', 'Practitioner/d');
const prefs = fc.record({
  programs: fc.subarray([...PROGRAMS]),
  severities: fc.subarray([...SEVERITIES]),
  escalationEmail: fc.boolean(),
});
const rows = fc.uniqueArray(fc.tuple(practitioner, prefs), { selector: ([p]) => p }).map((xs) => xs.map(([p, x]) => rowOf(p, x)));
const team = fc.uniqueArray(practitioner);
const severity = fc.constantFrom(...SEVERITIES);
const program = fc.constantFrom(...PROGRAMS);

describe('alert notification rules', () => {
  it('a stored row reads back as the preferences saved (canonical order)', () => {
    fc.assert(fc.property(prefs, (p) => {
      const back = preferencesOf(rowOf('Practitioner/a', p));
      expect(new Set(back.programs)).toEqual(new Set(p.programs));
      expect(new Set(back.severities)).toEqual(new Set(p.severities));
      expect(back.escalationEmail).toBe(p.escalationEmail);
      expect(ZAlertPreferences.safeParse(back).success).toBe(true);
    }));
  });

  it('no row means everything on', () => {
    expect(preferencesOf(undefined)).toEqual({ programs: [...PROGRAMS], severities: [...SEVERITIES], escalationEmail: true });
  });

  it('the program is the condition up to the first colon', () => {
    fc.assert(fc.property(program, fc.string(), (p, rule) => {
      expect(programOf(`${p}:${rule}`)).toBe(p);
    }));
  });

  it('live alerts go exactly to the members who receive that program and severity', () => {
    fc.assert(fc.property(team, rows, program, severity, (t, r, p, s) => {
      const live = liveRecipients(t, r, `${p}:rule`, s);
      for (const m of t) {
        const mine = preferencesOf(r.find((x) => x.practitioner === m));
        expect(live.includes(m)).toBe(mine.programs.includes(p) && mine.severities.includes(s));
      }
      expect(live.every((m) => (t as readonly string[]).includes(m))).toBe(true);
    }));
  });

  it('escalation mail goes to those who kept it on, and never to nobody', () => {
    fc.assert(fc.property(team, rows, (t, r) => {
      const { chosen, fallback } = escalationRecipients(t, r);
      const on = t.filter((m) => preferencesOf(r.find((x) => x.practitioner === m)).escalationEmail);
      if (t.length === 0) expect(chosen).toEqual([]);
      else if (on.length > 0) expect(new Set(chosen)).toEqual(new Set(on));
      else expect(chosen).toEqual([[...t].sort()[0]]);
      expect(new Set(fallback)).toEqual(new Set(t));
    }));
  });

  it('the contract refuses unknown programs and repeats', () => {
    expect(ZAlertPreferences.safeParse({ programs: ['nope'], severities: [], escalationEmail: true }).success).toBe(false);
    expect(ZAlertPreferences.safeParse({ programs: ['hypertension', 'hypertension'], severities: [], escalationEmail: true }).success).toBe(false);
    expect(ZAlertPreferences.safeParse({ programs: [], severities: ['low'], escalationEmail: true }).success).toBe(false);
    expect(ZAlertPreferences.safeParse({ programs: [], severities: [], escalationEmail: true, quiet: 1 }).success).toBe(false);
  });
});
