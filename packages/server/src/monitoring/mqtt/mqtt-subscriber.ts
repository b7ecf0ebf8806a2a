import type { FastifyBaseLogger } from 'fastify';
import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MqttOutcome } from './ingest-mqtt-message.js';
import { deviceIdOfTopic, errorsTopic, sharedReadingsFilter } from './mqtt-message.js';

export interface MqttSubscriberOptions {
  readonly url: string;
  readonly username: string | undefined;
  /** Never logged. */
  readonly password: string | undefined;
  readonly clientId: string;
  readonly shareGroup: string;
  /** Stores one message; resolves after commit (then it is acknowledged), throws to leave it unacknowledged. */
  readonly handle: (deviceId: string, payload: Buffer) => Promise<MqttOutcome>;
  readonly log: FastifyBaseLogger;
  readonly registry: Registry;
  /** Reconnect delays: doubling from min to max (with jitter). */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

/** How long the broker keeps Careline's session (and the unacknowledged readings in it) while disconnected. */
const SESSION_EXPIRY_S = 7 * 86_400;

/**
 * Careline as a client of the MQTT broker: one persistent MQTT 5 session (stable client id,
 * clean start off) subscribed at QoS 1 to the shared readings filter. mqtt.js hands messages to
 * `handleMessage` one at a time and sends the PUBACK only when its callback succeeds, so a reading
 * is acknowledged only after it is committed. When storing fails, the message is left
 * unacknowledged and the connection dropped; on reconnect (with backoff) the broker redelivers it
 * from the session, and the idempotent ingest stores it once. A crash before commit is the same.
 */
export class MqttSubscriber {
  private client: MqttClient | undefined;
  private stopping = false;
  private attempt = 0;
  /** The last close was ours, after a failed store: keep backing off rather than hammering a sick database. */
  private afterFailure = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly messages: Counter<'outcome'>;
  private readonly up: Gauge;

  constructor(private readonly o: MqttSubscriberOptions) {
    this.messages = new Counter({
      name: 'careline_mqtt_messages_total',
      help: 'MQTT device messages by outcome (stored, invalid, unknown-device, rate-limited, failed, bad-topic)',
      labelNames: ['outcome'] as const,
      registers: [o.registry],
    });
    this.up = new Gauge({ name: 'careline_mqtt_connected', help: '1 while connected to the MQTT broker', registers: [o.registry] });
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Connects in the background; readiness does not wait for the broker. */
  start(): void {
    const client = connect(this.o.url, {
      clientId: this.o.clientId,
      ...(this.o.username === undefined ? {} : { username: this.o.username }),
      ...(this.o.password === undefined ? {} : { password: this.o.password }),
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
      reconnectPeriod: 0, // reconnects are ours, with backoff
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: false,
    });
    client.handleMessage = (packet, callback) => {
      this.onMessage(packet).then(
        () => {
          callback();
        },
        (err: unknown) => {
          callback(err instanceof Error ? err : new Error(String(err)));
          this.dropConnection();
        },
      );
    };
    client.on('connect', () => {
      this.up.set(1);
      if (!this.afterFailure) this.attempt = 0;
      this.afterFailure = false;
      this.o.log.info({ broker: redactBroker(this.o.url) }, 'mqtt connected');
      client.subscribe(sharedReadingsFilter(this.o.shareGroup), { qos: 1 }, (err) => {
        if (err) this.o.log.warn({ reason: err.message }, 'mqtt subscribe failed');
      });
    });
    client.on('close', () => {
      this.up.set(0);
      if (!this.stopping) this.scheduleReconnect();
    });
    client.on('error', (err) => {
      this.o.log.warn({ reason: err.message }, 'mqtt client error');
    });
    this.client = client;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    if (!c) return;
    await new Promise<void>((resolve) => {
      c.end(true, {}, () => {
        resolve();
      });
    });
    this.up.set(0);
  }

  private async onMessage(packet: IPublishPacket): Promise<void> {
    const deviceId = deviceIdOfTopic(packet.topic);
    if (deviceId === undefined) {
      this.messages.inc({ outcome: 'bad-topic' });
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    let outcome: MqttOutcome;
    try {
      outcome = await this.o.handle(deviceId, payload);
    } catch (err) {
      this.messages.inc({ outcome: 'failed' });
      // No payload, no patient: the reading stays at the broker and comes back on reconnect.
      this.o.log.warn({ reason: (err as Error).message }, 'mqtt reading not stored; left unacknowledged for redelivery');
      throw err;
    }
    this.messages.inc({ outcome: outcome.kind });
    if (outcome.kind === 'stored') {
      this.attempt = 0;
      return;
    }
    if (outcome.kind === 'unknown-device') {
      this.o.log.warn({ deviceId }, 'mqtt message from an unknown or revoked device dropped');
      return;
    }
    this.publishError(deviceId, { error: outcome.kind, problems: outcome.problems, at: new Date().toISOString() });
  }

  /**
   * Not awaited: the broker's PUBACK for it is an incoming packet, which mqtt.js handles only after
   * the current message's handler returns (awaiting it here would deadlock).
   */
  private publishError(deviceId: string, body: unknown): void {
    this.client?.publishAsync(errorsTopic(deviceId), JSON.stringify(body), { qos: 1 }).catch((err: unknown) => {
      this.o.log.warn({ reason: (err as Error).message }, 'mqtt error reply not published');
    });
  }

  /** After a failed store: close without acknowledging, so the broker keeps the message for the session. */
  private dropConnection(): void {
    this.afterFailure = true;
    this.client?.end(true);
  }

  private scheduleReconnect(): void {
    if (this.timer) return;
    const { minMs, maxMs } = this.o.backoff ?? { minMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 16));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopping) this.client?.reconnect();
    }, delay);
    this.timer.unref();
  }
}

/** The broker's address for logs: scheme, host and port, never credentials. */
function redactBroker(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'mqtt://?';
  }
}
