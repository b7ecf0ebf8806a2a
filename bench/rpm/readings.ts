import type { BenchDevice } from './world.js';

/**
 * The bench's readings. Every reading is distinct (its own id and time), so none is a replay.
 *
 * Times walk forward from 360 days ago, per patient for BP and per uploader for CGM, at a realistic
 * spacing: the rules read a patient's history from 15 days before the reading's time onwards
 * (ReadingRepository.series), so readings crowded into the last few minutes would make every rule
 * evaluation read thousands of rows that no real patient has. BP: one reading every 4 h (90 in a
 * 15-day window); CGM: one every 5 min, as the sensors send them (4,320 per 15 days once a device
 * has sent that many).
 */
const DAY_MS = 86_400_000;
const START_AGO_MS = 360 * DAY_MS;
/** The server refuses readings older than a year; leave room for a long run. */
const SPAN_MS = 355 * DAY_MS;

export const BP_STEP_MS = 4 * 3_600_000;
export const CGM_STEP_MS = 5 * 60_000;

/** Distinct, increasing times per key; past the span, the times start over shifted by a second. */
export class Slots {
  private readonly next = new Map<string, number>();
  private readonly start = Date.now() - START_AGO_MS;
  private readonly capacity: number;

  constructor(private readonly stepMs: number) {
    this.capacity = Math.floor(SPAN_MS / stepMs);
  }

  take(key: string): string {
    const k = this.next.get(key) ?? 0;
    this.next.set(key, k + 1);
    const t = this.start + (k % this.capacity) * this.stepMs + Math.floor(k / this.capacity) * 1000;
    return new Date(t).toISOString();
  }
}

function between(low: number, high: number): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

/** Systolic and diastolic that meet no rule (systolic 110–150: under the 160 "sustained" limit). */
export function normalPressure(): { systolic: number; diastolic: number } {
  return { systolic: between(110, 150), diastolic: between(65, 90) };
}

/** Over the 180 systolic limit (hypertension:systolic-high), under the diastolic one. */
export function crossingPressure(): { systolic: number; diastolic: number } {
  return { systolic: between(182, 199), diastolic: between(90, 110) };
}

let sequence = 0;
let built = 0;

/** Readings built so far in this process (webhook and Nightscout), sent or not. */
export function readingsBuilt(): number {
  return built;
}

/** One webhook body with one blood-pressure reading (no pulse: one reading, one Observation). */
export function webhookBody(device: BenchDevice, slots: Slots, pressure: { systolic: number; diastolic: number }): string {
  const id = `bench-${process.pid}-${++sequence}`;
  built++;
  return JSON.stringify({ readings: [{ id, type: 'blood-pressure', ...pressure, takenAt: slots.take(device.patient) }] });
}

/** Nightscout entries as xDrip+ posts them (sgv 80–250: no rule fires, and none is a sensor state code). */
export function nightscoutBatch(device: BenchDevice, slots: Slots, size: number): string {
  built += size;
  const entries = Array.from({ length: size }, () => {
    const dateString = slots.take(device.ref);
    return { type: 'sgv', sgv: between(80, 250), date: Date.parse(dateString), dateString, direction: 'Flat', noise: 1, device: 'xDrip-DexcomG7' };
  });
  return JSON.stringify(entries);
}

/** Round robin over a list (spreads requests over devices). */
export function roundRobin<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('round robin over nothing');
  let i = 0;
  return () => items[i++ % items.length] as T;
}
