import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { bearer, expectJson } from './api.js';
import { crossingPressure, normalPressure, roundRobin, webhookBody, type Slots } from './readings.js';
import type { BenchDevice, World } from './world.js';

/**
 * POST-to-alert latency: readings flow through the webhook at a fixed rate while the clinician's
 * WebSocket listens on practitioner.<id>.alerts. One reading in `crossingEvery` crosses the 180
 * systolic limit, for a patient with no open alert of that condition (one open alert per
 * condition); when the alert arrives, the bench resolves it so the patient can be used again.
 */
export interface LatencyPlan {
  readonly ratePerS: number;
  readonly durationS: number;
  /** Samples before this are not counted (the server warming up to the rate). */
  readonly warmupS: number;
  readonly crossingEvery: number;
  /** At most this many POSTs in flight; a tick with all in use is counted as behind schedule. */
  readonly maxInFlight: number;
}

export interface LatencyResult {
  readonly plan: LatencyPlan;
  /** Acknowledged readings per second over the measured part. */
  readonly achievedPerS: number;
  /** Readings the schedule wanted but could not send because maxInFlight POSTs were still open. */
  readonly behind: number;
  readonly alertMs: readonly number[];
  /** POST start → HTTP answer of the crossing readings, and of every reading. */
  readonly crossingPostMs: readonly number[];
  readonly postMs: readonly number[];
  readonly missingAlerts: number;
  /** Alerts of another condition than the crossing's (resolved as well, not timed). */
  readonly otherAlerts: number;
  readonly failedPosts: number;
}

interface Sent {
  readonly status: number;
  readonly body: string;
}

const TICK_MS = 2;
const CONDITION = 'hypertension:systolic-high';
const ALERT_WAIT_MS = 10_000;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

interface AlertPayload {
  readonly alert?: string;
  readonly patient?: string;
  readonly condition?: string;
}

async function openAlertsSocket(base: string, world: World, onAlert: (payload: AlertPayload) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}ws`, { headers: bearer(world.clinicianToken) });
  const topic = `practitioner.${world.practitioner.replace(/^Practitioner\//, '')}.alerts`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('WebSocket: no "subscribed" within 10 s')), 10_000);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic })));
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { type?: string; topic?: string; payload?: AlertPayload };
      if (msg.type === 'subscribed') {
        clearTimeout(timer);
        resolve();
      } else if (msg.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`WebSocket: ${JSON.stringify(msg)}`));
      } else if (msg.type === 'message' && msg.payload) onAlert(msg.payload);
    });
  });
  return ws;
}

export async function measureAlertLatency(base: string, world: World, slots: Slots, plan: LatencyPlan, acked: Set<string>): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.maxInFlight });
  const url = new URL(`${base}api/monitoring/webhook`);
  const post = (device: BenchDevice, body: string): Promise<Sent> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { ...bearer(device.token), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const cuffsOf = new Map<string, BenchDevice[]>();
  for (const c of world.cuffs) cuffsOf.set(c.patient, [...(cuffsOf.get(c.patient) ?? []), c]);
  const free = [...world.patients];
  const pending = new Map<string, { t0: number; measured: boolean; observation?: string; status?: number }>();
  const alertMs: number[] = [];
  const crossingPostMs: number[] = [];
  const postMs: number[] = [];
  let missingAlerts = 0;
  let otherAlerts = 0;
  let failedPosts = 0;
  let ackedMeasured = 0;
  let measuring = false;
  let stopped = false;
  const resolving: Promise<unknown>[] = [];

  const ws = await openAlertsSocket(base, world, (payload) => {
    const now = performance.now();
    const p = payload.patient ?? '';
    const resolve = (): Promise<unknown> =>
      expectJson('POST', `${base}api/monitoring/alerts/${payload.alert ?? ''}/resolve`, {}, 200, bearer(world.clinicianToken)).catch((err: unknown) => {
        process.stderr.write(`  resolve ${payload.alert ?? ''}: ${(err as Error).message}\n`);
      });
    const wait = pending.get(p);
    if (!wait || payload.condition !== CONDITION) {
      // Not the alert a crossing reading waits for: resolve it too, so no open alert is left behind.
      otherAlerts++;
      process.stderr.write(`  unexpected alert ${payload.condition ?? ''} for ${p}\n`);
      resolving.push(resolve());
      return;
    }
    pending.delete(p);
    if (wait.measured) alertMs.push(now - wait.t0);
    // Resolve it, so the next crossing reading for this patient opens a new alert.
    resolving.push(resolve().then(() => free.push(p)));
  });

  const nextCuff = roundRobin(world.cuffs);
  let inFlight = 0;
  let behind = 0;
  let scheduled = 0;
  let index = 0;
  const flights = new Set<Promise<void>>();

  const sendOne = (): void => {
    index++;
    // Normal readings go round robin over every cuff (never skipped for a crossing one, or some
    // patients would get crossing readings only and meet the "3 of the last 5" rule).
    let device: BenchDevice | undefined;
    const p = index % plan.crossingEvery === 0 ? free.shift() : undefined;
    if (p !== undefined) {
      const cuffs = cuffsOf.get(p) ?? [];
      device = cuffs[index % cuffs.length];
    }
    const crossing = device !== undefined;
    device ??= nextCuff();
    const body = webhookBody(device, slots, crossing ? crossingPressure() : normalPressure());
    const measured = measuring;
    const t0 = performance.now();
    if (crossing) pending.set(device.patient, { t0, measured });
    inFlight++;
    const flight = post(device, body).then(
      (res) => {
        const ms = performance.now() - t0;
        if (res.status >= 200 && res.status < 300) {
          const id = /"observation":"Observation\/([^"]+)"/.exec(res.body)?.[1];
          if (id) acked.add(id);
          const w = crossing ? pending.get(device.patient) : undefined;
          if (w?.t0 === t0) {
            w.observation = id;
            w.status = res.status;
          }
          if (measured && !stopped) {
            ackedMeasured++;
            postMs.push(ms);
            if (crossing) crossingPostMs.push(ms);
          }
        } else {
          failedPosts++;
          if (crossing) {
            pending.delete(device.patient);
            free.push(device.patient);
          }
        }
      },
      () => {
        failedPosts++;
      },
    ).finally(() => {
      inFlight--;
      flights.delete(flight);
    });
    flights.add(flight);
    if (crossing) {
      setTimeout(() => {
        const w = pending.get(device.patient);
        if (w?.t0 === t0) {
          pending.delete(device.patient);
          missingAlerts++;
          process.stderr.write(`  no alert within ${ALERT_WAIT_MS / 1000} s for ${device.patient} (Observation/${w.observation ?? '?'}, HTTP ${w.status ?? 'no answer yet'})\n`);
        }
      }, ALERT_WAIT_MS).unref();
    }
  };

  const started = performance.now();
  const totalMs = (plan.warmupS + plan.durationS) * 1000;
  let measuredFrom = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (!measuring && elapsed >= plan.warmupS * 1000) {
        measuring = true;
        measuredFrom = performance.now();
      }
      if (elapsed >= totalMs) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((plan.ratePerS * elapsed) / 1000);
      while (scheduled < due) {
        scheduled++;
        if (inFlight >= plan.maxInFlight) {
          if (measuring) behind++;
          continue;
        }
        sendOne();
      }
    }, TICK_MS);
  });
  stopped = true;
  const measuredS = (performance.now() - measuredFrom) / 1000;
  await Promise.all([...flights]);
  const deadline = performance.now() + ALERT_WAIT_MS;
  while (pending.size > 0 && performance.now() < deadline) await sleep(50);
  for (const [p, w] of pending) process.stderr.write(`  no alert by the end for ${p} (Observation/${w.observation ?? '?'}, HTTP ${w.status ?? 'no answer'})\n`);
  missingAlerts += pending.size;
  await Promise.all(resolving);
  ws.close();
  agent.destroy();
  return { plan, achievedPerS: ackedMeasured / measuredS, behind, alertMs, crossingPostMs, postMs, missingAlerts, otherAlerts, failedPosts };
}
