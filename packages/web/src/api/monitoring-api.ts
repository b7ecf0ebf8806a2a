/**
 * Remote monitoring alerts (issue #7): the care team's queue, acknowledge (with an optional snooze)
 * and resolve, and the live feed over the WebSocket `/ws` (docs/API.md, "WebSocket").
 */
import * as z from 'zod/mini';
import { request } from './http';

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

export const alertQueue = async (signal?: AbortSignal) => (await request('/api/monitoring/alerts?limit=100', ZQueue, signal ? { signal } : {})).data.alerts;

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
