import type { TAvailabilityInput } from '@careline/contracts';
import { DateTime } from 'luxon';
import type { Prng } from '../../demo/prng.js';
import { freeSlots, openIntervals, type Interval } from './slot-math.js';

/**
 * The demo clinic's calendar, planned without I/O (demo-schedules.ts writes it): weekday hours in the
 * clinic's own zone (Valle Verde is in Alamosa, Colorado: America/Denver), a few visits today, more over
 * the next week, and some fulfilled ones in the past fortnight. Deterministic for a seed and a clock.
 */
export const DEMO_ZONE = 'America/Denver';

const weekdays = (days: readonly number[], ...ranges: [string, string][]): TAvailabilityInput['weekly'] =>
  days.flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

/** Hours by demo role: the primary clinician full days with lunch, the second four days, the specialist two. */
export const DEMO_HOURS = {
  primary: { timeZone: DEMO_ZONE, weekly: weekdays([1, 2, 3, 4, 5], ['08:00', '12:00'], ['13:00', '17:00']), exceptions: [] },
  second: { timeZone: DEMO_ZONE, weekly: weekdays([1, 2, 4, 5], ['09:00', '16:00']), exceptions: [] },
  specialist: { timeZone: DEMO_ZONE, weekly: weekdays([2, 4], ['10:00', '15:00']), exceptions: [] },
} as const satisfies Record<string, TAvailabilityInput>;
export type DemoRole = keyof typeof DEMO_HOURS;

export interface PlannedVisit {
  /** Stable FHIR id: loading again replaces rather than adds. */
  readonly id: string;
  readonly role: DemoRole;
  /** Index into the patient list (0 is the first portal patient). */
  readonly patient: number;
  readonly visitType: 'new-patient-video' | 'follow-up-video' | 'audio-only';
  readonly start: number;
  readonly end: number;
  readonly status: 'booked' | 'fulfilled';
  readonly reason: string;
  readonly preferredLanguage?: string;
  readonly interpreterNeeded: boolean;
}

const DURATION = { 'new-patient-video': 30, 'follow-up-video': 15, 'audio-only': 15 } as const;
const REASONS = ['Blood pressure review', 'Medication check-in', 'Lab results follow-up', 'Breathing check', 'Blood sugar review', 'Weight and fluid check'];

export interface PlanInput {
  readonly rng: Prng;
  readonly now: Date;
  readonly patients: number;
  /** Index of a patient whose preferred language is Spanish, if any (else the third patient). */
  readonly spanishPatient?: number;
}

/** One free slot of `role` on the local day `day` (days from today), or undefined when the day has none left. */
function pick(rng: Prng, role: DemoRole, today: DateTime, day: number, minutes: number, busy: Interval[], notBefore?: number): Interval | undefined {
  const from = today.plus({ days: day });
  const open = openIntervals(DEMO_HOURS[role], from.toMillis(), from.plus({ days: 1 }).toMillis());
  const slots = freeSlots(open, { durationMinutes: minutes, stepMinutes: 15, busy, ...(notBefore === undefined ? {} : { notBefore }) });
  return slots.length === 0 ? undefined : slots[rng.int(0, slots.length - 1)];
}

/**
 * Today: up to three visits with the primary clinician (those already over are fulfilled, one under
 * way stays booked and joinable). The next seven days: a visit a day with the primary clinician and
 * the specialist's clinic days; the first is the first portal patient's video visit, the second an
 * audio-only visit, the third a Spanish-speaking patient's visit with an interpreter. The past two
 * weeks: four fulfilled visits. Nobody is double booked and every visit lies in its clinician's hours.
 */
export function planDemoVisits(input: PlanInput): PlannedVisit[] {
  const { rng, now, patients } = input;
  if (patients <= 0) return [];
  const today = DateTime.fromJSDate(now, { zone: DEMO_ZONE }).startOf('day');
  const busy: Record<DemoRole, Interval[]> = { primary: [], second: [], specialist: [] };
  const out: PlannedVisit[] = [];
  const spanish = input.spanishPatient ?? Math.min(2, patients - 1);
  const add = (role: DemoRole, day: number, v: Omit<PlannedVisit, 'id' | 'role' | 'start' | 'end' | 'status' | 'reason'>, notBefore?: number): boolean => {
    const slot = pick(rng, role, today, day, DURATION[v.visitType], busy[role], notBefore);
    if (!slot) return false;
    busy[role].push(slot);
    out.push({ ...v, id: `demo-visit-${String(out.length + 1).padStart(2, '0')}`, role, start: slot.start, end: slot.end, status: slot.end <= now.getTime() ? 'fulfilled' : 'booked', reason: rng.pick(REASONS) });
    return true;
  };
  const anyPatient = (): number => rng.int(0, patients - 1);

  // Upcoming first, so the visits the demo shows off find room: starting tomorrow (today may be over).
  const special: Omit<PlannedVisit, 'id' | 'role' | 'start' | 'end' | 'status' | 'reason'>[] = [
    { patient: 0, visitType: 'follow-up-video', interpreterNeeded: false },
    { patient: Math.min(1, patients - 1), visitType: 'audio-only', interpreterNeeded: false },
    { patient: spanish, visitType: 'follow-up-video', preferredLanguage: 'es', interpreterNeeded: true },
  ];
  for (let day = 1; day <= 7; day++) {
    const next = special.shift();
    if (!add('primary', day, next ?? { patient: anyPatient(), visitType: rng.chance(0.3) ? 'new-patient-video' : 'follow-up-video', interpreterNeeded: false })) {
      if (next) special.unshift(next);
    }
    add('specialist', day, { patient: anyPatient(), visitType: 'follow-up-video', interpreterNeeded: false });
  }
  for (let i = 0; i < 3; i++) add('primary', 0, { patient: anyPatient(), visitType: i === 0 ? 'new-patient-video' : 'follow-up-video', interpreterNeeded: false });
  // Four past visits on weekdays of the last fortnight (a weekend day drawn is simply drawn again).
  let past = 0;
  for (let tries = 0; past < 4 && tries < 40; tries++) {
    if (add('primary', -rng.int(1, 14), { patient: anyPatient(), visitType: 'follow-up-video', interpreterNeeded: false })) past++;
  }
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}
