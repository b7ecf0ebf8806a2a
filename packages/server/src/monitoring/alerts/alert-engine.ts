import { randomUUID } from 'node:crypto';
import { ORGANIZATION_TAG_SYSTEM, systemContext, type FhirStore } from '../../fhir/index.js';
import { practitionerAlertsTopic } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import type { RealtimeBus } from '../../platform/realtime/bus.js';
import { evaluateOnReading, type MeasuredValue } from '../rules/evaluate-rules.js';
import { AlertRepository, type AlertRow } from '../storage/alert-repository.js';
import { EnrollmentRepository } from '../storage/enrollment-repository.js';
import { PreferenceRepository } from '../storage/preference-repository.js';
import { liveRecipients } from '../preferences/notification-rules.js';
import { ReadingRepository } from '../storage/reading-repository.js';

/** What a care-team member's WebSocket receives when an alert opens. */
export interface AlertMessage {
  readonly alert: string;
  readonly patient: string;
  readonly condition: string;
  readonly severity: 'high' | 'medium';
  readonly summary: string;
  readonly at: string;
}

/** Long enough for every rule window (CGM time-below: 14 days) plus a day. */
const HISTORY_MS = 15 * 86_400_000;
const FHIR = systemContext('monitoring');

/**
 * Judges new readings against the patient's enrolment rules and raises alerts: one open alert per
 * patient and condition (repeats attach to it), recorded as a FHIR Flag and a Task for the care
 * team, and announced on each care-team practitioner's realtime topic (every instance relays it to
 * that practitioner's WebSockets).
 */
export class AlertEngine {
  constructor(
    private readonly store: FhirStore,
    private readonly db: Database,
    private readonly bus: RealtimeBus,
    private readonly careTeamOf: (patient: string) => Promise<string[]>,
  ) {}

  async onReadings(patient: string, values: readonly MeasuredValue[]): Promise<AlertRow[]> {
    if (values.length === 0) return [];
    const enrollments = await new EnrollmentRepository(this.db).activeFor(patient);
    if (enrollments.length === 0) return [];
    const measures = [...new Set(values.map((v) => v.measure))];
    const oldest = Math.min(...values.map((v) => v.at.getTime()));
    const newest = Math.max(...values.map((v) => v.at.getTime()));
    const history = await new ReadingRepository(this.db).series(patient, measures, new Date(oldest - HISTORY_MS), 5000, new Date(newest));
    const raised: AlertRow[] = [];
    for (const e of enrollments) {
      for (const v of values) {
        for (const hit of evaluateOnReading(e.rules, v, history)) {
          raised.push(await this.raise(patient, e.organization_id, `${e.program}:${hit.ruleId}`, hit.severity, hit.summary, v.at));
        }
      }
    }
    return raised;
  }

  /**
   * Raises one condition for a patient (or attaches to its open alert): the path every alert takes,
   * public for judges outside a reading (the missed-readings sweep).
   */
  async raise(patient: string, organizationId: string, condition: string, severity: 'high' | 'medium', summary: string, at: Date): Promise<AlertRow> {
    const alerts = new AlertRepository(this.db);
    const { row, created } = await alerts.raise({ id: randomUUID(), patient, organizationId, condition, severity, summary, at });
    if (!created) return row;
    const meta = { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: organizationId }] };
    const flag = await this.store.create(FHIR, {
      resourceType: 'Flag',
      meta,
      status: 'active',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' }] }],
      code: { coding: [{ system: 'urn:careline:monitoring-condition', code: condition }], text: summary },
      subject: { reference: patient },
      period: { start: at.toISOString() },
    });
    const task = await this.store.create(FHIR, {
      resourceType: 'Task',
      meta,
      status: 'requested',
      intent: 'order',
      priority: severity === 'high' ? 'urgent' : 'routine',
      code: { text: 'Review remote monitoring alert' },
      description: summary,
      focus: { reference: `Flag/${String(flag.resource.id)}` },
      for: { reference: patient },
      authoredOn: new Date().toISOString(),
    });
    await alerts.setRecords(row.id, String(flag.resource.id), String(task.resource.id));
    const message: AlertMessage = { alert: row.id, patient, condition, severity, summary, at: at.toISOString() };
    const team = (await this.careTeamOf(patient)).filter((m) => m.startsWith('Practitioner/'));
    // Per-clinician preferences silence only the live push; the alert stays in everyone's queue.
    const live = liveRecipients(team, await new PreferenceRepository(this.db).ofMany(team), condition, severity);
    await Promise.all(live.map((p) => this.bus.publish(practitionerAlertsTopic(p), message)));
    return { ...row, flag_id: String(flag.resource.id), task_id: String(task.resource.id) };
  }
}
