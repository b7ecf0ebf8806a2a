import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../demo/prng.js';
import { DEMO_HOURS, planDemoVisits, type PlannedVisit } from './demo-visit-plan.js';
import { coveredBy, openIntervals } from './slot-math.js';

const DAY = 86_400_000;
/** Clocks over three years, so DST changes, weekends and year ends all come up. */
const clock = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms));
const input = fc.record({ seed: fc.nat(), now: clock, patients: fc.integer({ min: 1, max: 40 }), spanish: fc.option(fc.nat(), { nil: undefined }) });
const plan = (i: { seed: number; now: Date; patients: number; spanish: number | undefined }): PlannedVisit[] =>
  planDemoVisits({ rng: new Prng(i.seed), now: i.now, patients: i.patients, ...(i.spanish === undefined ? {} : { spanishPatient: i.spanish % i.patients }) });

describe('planDemoVisits (property)', () => {
  it('books nobody twice, only inside the clinician\'s hours, fulfilled exactly when over', () => {
    fc.assert(fc.property(input, (i) => {
      const visits = plan(i);
      for (const v of visits) {
        const open = openIntervals(DEMO_HOURS[v.role], v.start - DAY, v.end + DAY);
        expect(coveredBy(open, v.start, v.end), `${v.id} ${new Date(v.start).toISOString()}`).toBe(true);
        expect(v.status).toBe(v.end <= i.now.getTime() ? 'fulfilled' : 'booked');
        expect(v.patient).toBeGreaterThanOrEqual(0);
        expect(v.patient).toBeLessThan(i.patients);
        expect(v.start).toBeGreaterThanOrEqual(i.now.getTime() - 15 * DAY);
        expect(v.start).toBeLessThan(i.now.getTime() + 9 * DAY);
        for (const w of visits) if (w !== v && w.role === v.role) expect(w.start >= v.end || w.end <= v.start, `${v.id} overlaps ${w.id}`).toBe(true);
      }
      expect(new Set(visits.map((v) => v.id)).size).toBe(visits.length);
    }), { numRuns: 150 });
  });

  it('always shows off the portal patient\'s video visit, an audio-only visit, an interpreter visit in Spanish and past visits', () => {
    fc.assert(fc.property(input, (i) => {
      const visits = plan(i);
      const ahead = visits.filter((v) => v.status === 'booked' && v.start > i.now.getTime());
      expect(ahead.some((v) => v.patient === 0 && v.visitType !== 'audio-only')).toBe(true);
      expect(ahead.some((v) => v.visitType === 'audio-only')).toBe(true);
      const interpreted = visits.filter((v) => v.interpreterNeeded);
      expect(interpreted).toHaveLength(1);
      expect(interpreted[0]).toMatchObject({ preferredLanguage: 'es', status: 'booked', patient: i.spanish === undefined ? Math.min(2, i.patients - 1) : i.spanish % i.patients });
      expect(ahead.length).toBeGreaterThanOrEqual(5);
      expect(visits.filter((v) => v.status === 'fulfilled' && v.end <= i.now.getTime() - 12 * 3_600_000).length).toBeGreaterThanOrEqual(3);
    }), { numRuns: 150 });
  });

  it('is the same plan for the same seed and clock, and another for another seed', () => {
    fc.assert(fc.property(input, (i) => {
      expect(plan(i)).toEqual(plan(i));
    }), { numRuns: 30 });
    const now = new Date('2026-03-10T17:00:00Z');
    const a = planDemoVisits({ rng: new Prng(1), now, patients: 20 });
    const b = planDemoVisits({ rng: new Prng(2), now, patients: 20 });
    expect(a.map((v) => v.start)).not.toEqual(b.map((v) => v.start));
  });

  it('on a weekday in Denver, today holds three visits of the primary clinician in local office hours', () => {
    // Tuesday 10 March 2026, 14:00 MDT (20:00Z; DST began on 8 March, so local = UTC − 6 h).
    const now = new Date('2026-03-10T20:00:00Z');
    const visits = planDemoVisits({ rng: new Prng(5), now, patients: 10 });
    const today = visits.filter((v) => v.start >= Date.parse('2026-03-10T06:00:00Z') && v.start < Date.parse('2026-03-11T06:00:00Z'));
    expect(today.map((v) => v.role)).toEqual(['primary', 'primary', 'primary']);
    for (const v of today) {
      const local = new Date(v.start - 6 * 3_600_000).toISOString().slice(11, 16);
      expect(local >= '08:00' && local < '17:00' && !(local >= '12:00' && local < '13:00'), local).toBe(true);
    }
    // Saturday: nothing today, the week ahead still full.
    const saturday = planDemoVisits({ rng: new Prng(5), now: new Date('2026-03-14T18:00:00Z'), patients: 10 });
    expect(saturday.filter((v) => v.start >= Date.parse('2026-03-14T06:00:00Z') && v.start < Date.parse('2026-03-15T06:00:00Z'))).toEqual([]);
  });
});
