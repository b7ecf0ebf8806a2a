import { EventEmitter } from 'node:events';
import type { Database } from '../db/database.js';

/**
 * Publish/subscribe across every server instance sharing one database, over LISTEN/NOTIFY
 * (which PGlite implements too). NOTIFY payloads are limited to 8000 bytes
 * (https://www.postgresql.org/docs/15/sql-notify.html), so a larger message is stored in
 * careline_bus_payload and only its id travels; receivers fetch it.
 * Delivery is at-most-once and only to instances listening at that moment: durable work goes through jobs.
 */
export const BUS_CHANNEL = 'careline_bus';
/** Leave room for the envelope and multi-byte characters below the 8000-byte limit. */
const INLINE_LIMIT_BYTES = 7000;
const TOPIC = /^[a-z][a-z0-9._:-]{0,127}$/i;

export type BusHandler = (payload: unknown, topic: string) => void;

interface Envelope {
  readonly t: string;
  readonly p?: unknown;
  readonly r?: number;
}

export class RealtimeBus {
  private readonly local = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly db: Database, private readonly onError: (err: Error) => void = () => undefined) {
    this.local.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(BUS_CHANNEL, (raw) => void this.receive(raw));
  }

  async stop(): Promise<void> {
    const u = this.unlisten;
    this.unlisten = undefined;
    if (u) await u();
    this.local.removeAllListeners();
  }

  /** Sends payload (JSON-serialisable) to subscribers of topic on every instance, this one included. */
  async publish(topic: string, payload: unknown): Promise<void> {
    assertTopic(topic);
    const inline = JSON.stringify({ t: topic, p: payload } satisfies Envelope);
    if (Buffer.byteLength(inline) <= INLINE_LIMIT_BYTES) {
      await this.db.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, inline]);
      return;
    }
    // Insert and notify in one transaction: listeners are told only once the row is visible.
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>('INSERT INTO careline_bus_payload (topic, body) VALUES ($1, $2) RETURNING id', [
        topic,
        JSON.stringify(payload),
      ]);
      const id = rows[0]?.id;
      await tx.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, JSON.stringify({ t: topic, r: id } satisfies Envelope)]);
    });
  }

  /**
   * The NOTIFY a message would be, for a writer that sends it inside its own statement
   * (`SELECT pg_notify(channel, text)` — delivered at commit, never on rollback, and without a
   * round trip of its own). Undefined when the message is too large to go inline: then publish().
   */
  inlineNotification(topic: string, payload: unknown): { channel: string; text: string } | undefined {
    assertTopic(topic);
    const text = JSON.stringify({ t: topic, p: payload } satisfies Envelope);
    return Buffer.byteLength(text) <= INLINE_LIMIT_BYTES ? { channel: BUS_CHANNEL, text } : undefined;
  }

  /** Subscribes to one topic; returns the unsubscribe function. */
  subscribe(topic: string, handler: BusHandler): () => void {
    assertTopic(topic);
    this.local.on(topic, handler);
    return () => this.local.off(topic, handler);
  }

  /** Deletes by-reference payloads older than maxAgeSeconds; run by a scheduled job. */
  async purgeOldPayloads(maxAgeSeconds: number): Promise<number> {
    const r = await this.db.query("DELETE FROM careline_bus_payload WHERE created_at < now() - make_interval(secs => $1)", [maxAgeSeconds]);
    return r.rowCount;
  }

  private async receive(raw: string): Promise<void> {
    try {
      const env = JSON.parse(raw) as Envelope;
      if (typeof env.t !== 'string' || this.local.listenerCount(env.t) === 0) return;
      let payload = env.p;
      if (typeof env.r === 'number') {
        const { rows } = await this.db.query<{ body: unknown }>('SELECT body FROM careline_bus_payload WHERE id = $1', [env.r]);
        if (rows.length === 0) return;
        payload = rows[0]?.body;
      }
      this.local.emit(env.t, payload, env.t);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}

function assertTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw new Error(`invalid bus topic ${JSON.stringify(topic)}`);
}
