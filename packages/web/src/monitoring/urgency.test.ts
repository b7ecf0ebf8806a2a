import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TPanelEntry } from '../api/monitoring-api';
import { panelView, programsIn, sortByUrgency, urgencyOf } from './urgency';

const entry = (patient: string, o: Partial<TPanelEntry> = {}): TPanelEntry => ({
  patient, programs: ['hypertension'], openAlerts: { high: 0, medium: 0 }, latest: [], deviceDays30: 20, minutesThisMonth: 30, lastReading: null, ...o,
});

const arbEntry = fc.record({
  patient: fc.constantFrom('Patient/a', 'Patient/b', 'Patient/c', 'Patient/d', 'Patient/e'),
  programs: fc.subarray(['hypertension', 'heart-failure', 'diabetes-cgm']),
  openAlerts: fc.record({ high: fc.nat(3), medium: fc.nat(3) }),
  latest: fc.array(fc.record({ measure: fc.constant('8480-6'), value: fc.integer({ min: 60, max: 220 }), at: fc.constant('2026-12-01T00:00:00Z'), outOfRange: fc.boolean() }), { maxLength: 3 }),
  deviceDays30: fc.nat(30),
  minutesThisMonth: fc.nat(90),
  lastReading: fc.constant(null),
});

describe('panel urgency', () => {
  it('orders open high alerts, then medium, then values off limits, then fewest device days and minutes', () => {
    const rows = [
      entry('Patient/steady'),
      entry('Patient/few-minutes', { minutesThisMonth: 2 }),
      entry('Patient/few-days', { deviceDays30: 3 }),
      entry('Patient/off', { latest: [{ measure: '8480-6', value: 185, at: '2026-12-01T08:00:00Z', outOfRange: true }] }),
      entry('Patient/medium', { openAlerts: { high: 0, medium: 2 } }),
      entry('Patient/high', { openAlerts: { high: 1, medium: 0 } }),
    ];
    expect(sortByUrgency(rows).map((r) => r.patient)).toEqual(['Patient/high', 'Patient/medium', 'Patient/off', 'Patient/few-days', 'Patient/few-minutes', 'Patient/steady']);
    expect(sortByUrgency(rows).map(urgencyOf)).toEqual(['high', 'medium', 'attention', 'steady', 'steady', 'steady']);
  });

  it('is a permutation, idempotent, and never puts a patient without high alerts above one with', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 12 }), (rows) => {
        const sorted = sortByUrgency(rows);
        expect(sorted).toHaveLength(rows.length);
        expect([...sorted].map((r) => JSON.stringify(r)).sort()).toEqual(rows.map((r) => JSON.stringify(r)).sort());
        expect(sortByUrgency(sorted)).toEqual(sorted);
        const firstCalm = sorted.findIndex((r) => r.openAlerts.high === 0);
        if (firstCalm >= 0) expect(sorted.slice(firstCalm).every((r) => r.openAlerts.high === 0)).toBe(true);
      }),
    );
  });

  it('filters by program and lists the programs present', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 12 }), fc.constantFrom('', 'hypertension', 'diabetes-cgm'), (rows, program) => {
        const view = panelView(rows, program);
        expect(view.every((r) => !program || r.programs.includes(program))).toBe(true);
        expect(view).toHaveLength(program ? rows.filter((r) => r.programs.includes(program)).length : rows.length);
      }),
    );
    expect(programsIn([entry('Patient/a', { programs: ['heart-failure', 'hypertension'] }), entry('Patient/b')])).toEqual(['heart-failure', 'hypertension']);
  });
});
