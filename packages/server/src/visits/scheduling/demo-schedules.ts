import { systemContext, type FhirResource, type FhirStore } from '../../fhir/index.js';
import { Prng } from '../../demo/prng.js';
import type { Database } from '../../platform/db/database.js';
import { appointmentResource } from './appointment-resource.js';
import { saveSchedule } from './availability.js';
import { DEMO_HOURS, DEMO_ZONE, planDemoVisits, type DemoRole } from './demo-visit-plan.js';
import { person, type Person } from './directory.js';
import { visitTypesOf } from './visit-types.js';

export interface DemoSchedulesOptions {
  readonly organizationId: string;
  /** 'Practitioner/<id>' of the demo's primary clinician, second clinician and specialist ('' when absent). */
  readonly practitioners: Readonly<Record<DemoRole, string>>;
  /** 'Patient/<id>' in load order: the first ones have portal accounts. */
  readonly patients: readonly string[];
  readonly seed?: number;
  readonly now?: Date;
}

export interface SeededSchedules {
  readonly schedules: number;
  readonly appointments: number;
}

const HOUR = 3_600_000;

function prefersSpanish(p: Person): boolean {
  const comms = (p.resource.communication as { preferred?: boolean; language?: { coding?: { code?: string }[] } }[] | undefined) ?? [];
  return comms.some((c) => c.preferred === true && c.language?.coding?.some((x) => x.code === 'es'));
}

/**
 * The demo clinic's calendar (see demo-visit-plan.ts): a Schedule per clinician with weekday hours in
 * America/Denver, and the planned Appointments. Written with system access like the rest of the demo
 * (an operator's act; every resource carries the clinic's tag), in one transaction, under fixed ids:
 * loading again replaces the same Schedules and Appointments instead of adding more.
 */
export async function seedDemoSchedules(store: FhirStore, db: Database, options: DemoSchedulesOptions): Promise<SeededSchedules> {
  const ctx = systemContext('demo');
  const clinic = options.organizationId;
  const now = options.now ?? new Date();
  const types = new Map((await visitTypesOf(store, db, clinic)).map((t) => [t.code, t]));
  const roles = (Object.keys(DEMO_HOURS) as DemoRole[]).filter((r) => options.practitioners[r]);
  const practitioners = new Map<DemoRole, Person>();
  for (const role of roles) practitioners.set(role, await person(store, options.practitioners[role], 'practitioner'));
  const patients: Person[] = [];
  for (const ref of options.patients) patients.push(await person(store, ref, 'patient'));
  const spanish = patients.findIndex(prefersSpanish);
  // Its own stream, so the calendar does not shift when the patients' generator changes.
  const plan = planDemoVisits({ rng: new Prng((options.seed ?? 20261123) ^ 0x5c4ed), now, patients: patients.length, ...(spanish >= 0 ? { spanishPatient: spanish } : {}) });

  let appointments = 0;
  await db.transaction(async (tx) => {
    for (const role of roles) {
      const practitioner = practitioners.get(role);
      if (practitioner) await saveSchedule(store, ctx, clinic, practitioner, DEMO_HOURS[role], tx);
    }
    for (const v of plan) {
      const practitioner = practitioners.get(v.role);
      const patient = patients[v.patient];
      const visitType = types.get(v.visitType);
      if (!practitioner || !patient || !visitType) continue;
      const resource: FhirResource = {
        ...appointmentResource({
          clinic, patient, practitioner, visitType, start: new Date(v.start), end: new Date(v.end), timeZone: DEMO_ZONE, reason: v.reason,
          interpreterNeeded: v.interpreterNeeded, ...(v.preferredLanguage ? { preferredLanguage: v.preferredLanguage } : {}),
        }),
        id: v.id,
        status: v.status,
        // Booked three days before the visit (or before now, for visits still ahead).
        created: new Date(Math.min(v.start, now.getTime()) - 72 * HOUR).toISOString(),
      };
      await store.update(ctx, 'Appointment', v.id, resource, {}, tx);
      appointments++;
    }
  });
  return { schedules: roles.length, appointments };
}
