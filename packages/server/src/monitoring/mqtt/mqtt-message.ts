import { ZWebhookBody, type WebhookBody } from '../ingest/webhook-contract.js';

/**
 * The MQTT contract (docs/MONITORING.md §5). Devices publish to `careline/devices/{deviceId}/readings`
 * (QoS 1) the webhook body (`{ "readings": [ … ] }`) or a single reading (`{ "type": …, … }`);
 * Careline answers problems on `careline/devices/{deviceId}/errors`. The broker authenticates the
 * device and its ACL confines it to its own topics, so the topic names the device.
 */
export const READINGS_FILTER = 'careline/devices/+/readings';
/** Several Careline instances in one share group split the devices' messages between them. */
export const sharedReadingsFilter = (group: string): string => `$share/${group}/${READINGS_FILTER}`;

const TOPIC = /^careline\/devices\/([A-Za-z0-9\-.]{1,64})\/readings$/;

/** The device id a readings topic names, or undefined when the topic is not one. */
export function deviceIdOfTopic(topic: string): string | undefined {
  return TOPIC.exec(topic)?.[1];
}

export const errorsTopic = (deviceId: string): string => `careline/devices/${deviceId}/errors`;

export interface PayloadProblem {
  readonly path: string;
  readonly message: string;
}

export type ParsedPayload = { readonly ok: true; readonly body: WebhookBody } | { readonly ok: false; readonly problems: PayloadProblem[] };

/** Parses a message: the webhook body or one reading; problems are located (`readings[0].takenAt`). */
export function parseReadingsPayload(payload: Buffer): ParsedPayload {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, problems: [{ path: '$', message: 'The message is not JSON.' }] };
  }
  const single = json !== null && typeof json === 'object' && !Array.isArray(json) && 'type' in json && !('readings' in json);
  const parsed = ZWebhookBody.safeParse(single ? { readings: [json] } : json);
  if (parsed.success) return { ok: true, body: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 20).map((i) => {
      const segments = single ? i.path.slice(2) : i.path;
      const path = segments.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${String(s)}]` : p === '' ? String(s) : `${p}.${String(s)}`), '');
      return { path: path === '' ? '$' : path, message: i.message };
    }),
  };
}
