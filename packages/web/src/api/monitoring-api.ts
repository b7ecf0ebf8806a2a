/**
 * Remote monitoring (issue #7): the care team's alert queue, acknowledge (with an optional snooze),
 * resolve and notes, the live feed over the WebSocket `/ws` (docs/API.md, "WebSocket"); then the
 * dashboard's data: panel, chart series, CGM summaries, time entries, billing, the patient's readings.
 */
import * as z from 'zod/mini';
import { ApiError, request } from './http';

export const ZAlert = z.object({
  id: z.string(),
  patient: z.string(),
  condition: z.string(),
  severity: z.enum(['high', 'medium']),
  summary: z.string(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  occurrences: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
  snoozedUntil: z.nullable(z.string()),
  flag: z.nullable(z.string()),
  task: z.nullable(z.string()),
});
export type TAlert = z.infer<typeof ZAlert>;
const ZQueue = z.object({ alerts: z.array(ZAlert) });

/** What a care-team member's WebSocket receives when an alert opens. */
export const ZAlertMessage = z.object({
  alert: z.string(),
  patient: z.string(),
  condition: z.string(),
  severity: z.enum(['high', 'medium']),
  summary: z.string(),
  at: z.string(),
});
export type TAlertMessage = z.infer<typeof ZAlertMessage>;

/** The care team's unresolved alerts (all their patients, or one patient's: "Patient/<id>"). */
export const alertQueue = async (signal?: AbortSignal, patient?: string) =>
  (await request(`/api/monitoring/alerts?limit=100${patient ? `&patient=${encodeURIComponent(patient)}` : ''}`, ZQueue, signal ? { signal } : {})).data.alerts;

export const ZAlertNote = z.object({ text: z.string(), author: z.nullable(z.string()), time: z.nullable(z.string()) });
export type TAlertNote = z.infer<typeof ZAlertNote>;
const ZNotes = z.object({ notes: z.array(ZAlertNote) });

export const alertNotes = async (id: string, signal?: AbortSignal) => (await request(`/api/monitoring/alerts/${encodeURIComponent(id)}/notes`, ZNotes, signal ? { signal } : {})).data.notes;

/** Adds a note to the alert (a FHIR Annotation on its Task); answers every note, oldest first. */
export const addAlertNote = async (id: string, text: string) => (await request(`/api/monitoring/alerts/${encodeURIComponent(id)}/notes`, ZNotes, { method: 'POST', body: { text } })).data.notes;

export const acknowledgeAlert = async (id: string, snoozeMinutes?: number) =>
  (await request(`/api/monitoring/alerts/${encodeURIComponent(id)}/acknowledge`, ZAlert, { method: 'POST', body: snoozeMinutes ? { snoozeMinutes } : {} })).data;

export const resolveAlert = async (id: string) => (await request(`/api/monitoring/alerts/${encodeURIComponent(id)}/resolve`, ZAlert, { method: 'POST', body: {} })).data;

/** The realtime topic of a practitioner's alerts ("Practitioner/<id>" → "practitioner.<id>.alerts"). */
export function alertsTopic(practitioner: string): string {
  return `practitioner.${practitioner.slice('Practitioner/'.length)}.alerts`;
}

const ZServerMessage = z.union([
  z.object({ type: z.literal('message'), topic: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('subscribed'), topic: z.string() }),
  z.looseObject({ type: z.string() }),
]);

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Opens the same-origin WebSocket (the session cookie authenticates it), subscribes to one topic
 * and hands each message's payload to `onMessage`; reconnects with backoff until closed, except
 * when the server ended the session (4401). Returns the function that closes it.
 */
export function subscribeTopic(topic: string, onMessage: (payload: unknown) => void, onState: (s: LiveState) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    onState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', topic }));
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      let data: unknown;
      try {
        data = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      const msg = z.safeParse(ZServerMessage, data);
      if (!msg.success) return;
      if (msg.data.type === 'subscribed') {
        retry = 0;
        onState('live');
      } else if (msg.data.type === 'message' && 'payload' in msg.data && msg.data.topic === topic) onMessage(msg.data.payload);
    };
    ws.onclose = (ev) => {
      socket = undefined;
      if (stopped) return;
      onState('offline');
      if (ev.code === 4401) return;
      retry += 1;
      timer = setTimeout(open, Math.min(30_000, 500 * 2 ** Math.min(retry, 6)));
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close(1000);
  };
}

// ——— The dashboard's data (docs/MONITORING.md §6): panel, series, CGM, time, billing, own readings. ———

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const idOf = (reference: string) => encodeURIComponent(reference.slice(reference.indexOf('/') + 1));

export const ZPanelEntry = z.object({
  patient: z.string(),
  programs: z.array(z.string()),
  openAlerts: z.object({ high: z.number(), medium: z.number() }),
  latest: z.array(z.object({ measure: z.string(), value: z.number(), at: z.string(), outOfRange: z.boolean() })),
  deviceDays30: z.number(),
  minutesThisMonth: z.number(),
  lastReading: z.nullable(z.string()),
});
export type TPanelEntry = z.infer<typeof ZPanelEntry>;

export const monitoringPanel = async (signal?: AbortSignal) => (await request('/api/monitoring/panel', z.object({ patients: z.array(ZPanelEntry) }), opts(signal))).data.patients;

export const ZSeries = z.object({
  patient: z.string(),
  measure: z.string(),
  code: z.string(),
  unit: z.string(),
  points: z.array(z.object({ at: z.string(), value: z.number(), origin: z.enum(['device', 'patient-entered']) })),
  thresholds: z.array(z.object({ rule: z.string(), comparator: z.string(), value: z.number(), severity: z.string() })),
});
export type TSeries = z.infer<typeof ZSeries>;
export type TSeriesDays = 7 | 14 | 30 | 90;

/** One measure's points of a patient (care team), with the patient's limits to draw. */
export const patientSeries = async (patient: string, measure: string, days: TSeriesDays, signal?: AbortSignal) =>
  (await request(`/api/monitoring/patients/${idOf(patient)}/series?measure=${encodeURIComponent(measure)}&days=${String(days)}`, ZSeries, opts(signal))).data;

/** The signed-in patient's own points (a caregiver names the patient). */
export const mySeries = async (measure: string, days: TSeriesDays, patient?: string, signal?: AbortSignal) =>
  (await request(`/api/monitoring/my-readings?measure=${encodeURIComponent(measure)}&days=${String(days)}${patient ? `&patient=${encodeURIComponent(patient)}` : ''}`, ZSeries, opts(signal))).data;

const ZRanges = z.object({ veryLow: z.number(), low: z.number(), inRange: z.number(), high: z.number(), veryHigh: z.number() });
export type TRanges = z.infer<typeof ZRanges>;
export const ZAgpBin = z.object({ minute: z.number(), count: z.number(), p5: z.nullable(z.number()), p25: z.nullable(z.number()), p50: z.nullable(z.number()), p75: z.nullable(z.number()), p95: z.nullable(z.number()) });
export type TAgpBin = z.infer<typeof ZAgpBin>;
export const ZCgm = z.object({
  patient: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  summary: z.object({
    readings: z.number(),
    sensorActivePercent: z.number(),
    meanMgDl: z.nullable(z.number()),
    gmiPercent: z.nullable(z.number()),
    cvPercent: z.nullable(z.number()),
    ranges: ZRanges,
  }),
  agp: z.array(ZAgpBin),
});
export type TCgm = z.infer<typeof ZCgm>;

export const patientCgm = async (patient: string, days: number, signal?: AbortSignal) => (await request(`/api/monitoring/patients/${idOf(patient)}/cgm?days=${String(days)}`, ZCgm, opts(signal))).data;

/** A reading typed in by the patient (the webhook's reading shape, without a device id). */
export type TMyReading =
  | { readonly type: 'blood-pressure'; readonly systolic: number; readonly diastolic: number; readonly pulse?: number; readonly takenAt: string }
  | { readonly type: 'heart-rate' | 'spo2' | 'weight' | 'temperature' | 'glucose' | 'peak-flow' | 'respiratory-rate'; readonly value: number; readonly unit?: string; readonly takenAt: string };

export const addMyReading = async (reading: TMyReading, patient?: string) =>
  (await request('/api/monitoring/my-readings', z.object({ observation: z.string(), created: z.boolean() }), { method: 'POST', body: { reading, ...(patient ? { patient } : {}) } })).data;

export const ZTimeEntry = z.object({
  id: z.string(),
  patient: z.string(),
  practitioner: z.string(),
  start: z.string(),
  seconds: z.number(),
  interactive: z.boolean(),
  note: z.nullable(z.string()),
  createdAt: z.string(),
  deletable: z.boolean(),
});
export type TTimeEntry = z.infer<typeof ZTimeEntry>;
const ZTimeEntries = z.object({ entries: z.array(ZTimeEntry), seconds: z.number(), timeZone: z.string() });

export const timeEntries = async (patient: string, month: string, signal?: AbortSignal) =>
  (await request(`/api/monitoring/time-entries?patient=${encodeURIComponent(patient)}&month=${month}`, ZTimeEntries, opts(signal))).data;

export const logTime = async (entry: { patient: string; start: string; seconds: number; interactive: boolean; note?: string }) =>
  (await request('/api/monitoring/time-entries', ZTimeEntry, { method: 'POST', body: entry })).data;

export const deleteTimeEntry = async (id: string) => {
  await request(`/api/monitoring/time-entries/${encodeURIComponent(id)}`, null, { method: 'DELETE' });
};

export const ZBillingRow = z.object({
  patient: z.string(),
  name: z.string(),
  program: z.string(),
  periodStart: z.nullable(z.string()),
  periodEnd: z.nullable(z.string()),
  deviceDays: z.number(),
  managementSeconds: z.number(),
  managementTime: z.string(),
  interactiveContact: z.boolean(),
  consentDate: z.nullable(z.string()),
  setupDate: z.nullable(z.string()),
  billingPractitioner: z.nullable(z.string()),
  codes: z.array(z.object({ code: z.string(), units: z.number() })),
  notes: z.array(z.string()),
});
export type TBillingRow = z.infer<typeof ZBillingRow>;
export const ZBillingReport = z.object({
  organization: z.string(),
  clinicName: z.string(),
  month: z.string(),
  timeZone: z.string(),
  closed: z.nullable(z.object({ at: z.string(), by: z.string() })),
  rows: z.array(ZBillingRow),
  totals: z.object({ patients: z.number(), billablePatients: z.number(), codes: z.record(z.string(), z.number()) }),
});
export type TBillingReport = z.infer<typeof ZBillingReport>;

export const billingReport = async (month: string, signal?: AbortSignal) => (await request(`/api/monitoring/billing?month=${month}`, ZBillingReport, opts(signal))).data;

/**
 * Downloads the month's report as CSV or PDF with the session cookie (a GET: no CSRF token) and saves
 * it as a file; the data stays in memory only (a blob URL revoked shortly after the click).
 */
export async function downloadBilling(month: string, format: 'csv' | 'pdf'): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`/api/monitoring/billing?month=${month}&format=${format}`, { credentials: 'same-origin', cache: 'no-store', headers: { accept: format === 'csv' ? 'text/csv' : 'application/pdf' } });
  } catch {
    throw new ApiError(0, 'network', undefined, undefined);
  }
  if (!res.ok) throw new ApiError(res.status, res.status === 404 ? 'not-found' : 'error', undefined, res.headers);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `rpm-billing-${month}.${format}`;
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

export const MONITORING_PROGRAMS = ['hypertension', 'heart-failure', 'diabetes-meter', 'diabetes-cgm', 'copd-asthma', 'post-operative'] as const;
export const ALERT_SEVERITIES = ['high', 'medium'] as const;
/** The signed-in clinician's alert notification preferences (GET/PUT /api/monitoring/preferences). */
export const ZAlertPreferences = z.object({
  programs: z.array(z.enum(MONITORING_PROGRAMS)),
  severities: z.array(z.enum(ALERT_SEVERITIES)),
  escalationEmail: z.boolean(),
});
export type TAlertPreferences = z.infer<typeof ZAlertPreferences>;

export const alertPreferences = async (signal?: AbortSignal) => (await request('/api/monitoring/preferences', ZAlertPreferences, signal ? { signal } : {})).data;

export const saveAlertPreferences = async (prefs: TAlertPreferences) => (await request('/api/monitoring/preferences', ZAlertPreferences, { method: 'PUT', body: prefs })).data;
