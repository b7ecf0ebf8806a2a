import { randomUUID } from 'node:crypto';
import type { TParticipantStatus, TVisitServerMessage } from '@careline/contracts';
import type { RealtimeBus } from '../../platform/realtime/bus.js';

/** Each participant's messages travel on their own bus topic, so any instance can reach their socket. */
export function participantTopic(participantId: string): string {
  return `visits.p.${participantId}`;
}

/** What one participant's socket is told: a message for the browser, or an instruction for the socket. */
export type Delivery =
  | { readonly kind: 'message'; readonly message: TVisitServerMessage }
  /** The participant's status changed; the socket's privacy gate follows it. */
  | { readonly kind: 'status'; readonly status: TParticipantStatus }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  /** A newer socket of the same participant connected: every other one closes. */
  | { readonly kind: 'replaced'; readonly connectionId: string };

/** On the bus: the publishing instance's stream id and a per-topic sequence number. */
export interface Envelope {
  readonly s: string;
  readonly n: number;
  readonly d: Delivery;
}

/**
 * Publishes deliveries in order. The bus may reorder one publisher's messages (a large payload — an
 * SDP offer — travels by reference and is fetched by the receiver, so a small ICE candidate sent
 * after it can arrive first); the sequence numbers let OrderedInbox restore the order.
 */
export class RoomBus {
  private readonly stream = randomUUID();
  private readonly counters = new Map<string, number>();

  constructor(private readonly bus: RealtimeBus) {}

  async deliver(participantId: string, d: Delivery): Promise<void> {
    const topic = participantTopic(participantId);
    const n = (this.counters.get(topic) ?? 0) + 1;
    this.counters.set(topic, n);
    if (this.counters.size > 100_000) this.counters.clear();
    await this.bus.publish(topic, { s: this.stream, n, d } satisfies Envelope);
  }

  async send(participantId: string, message: TVisitServerMessage): Promise<void> {
    await this.deliver(participantId, { kind: 'message', message });
  }

  subscribe(participantId: string, handler: (raw: unknown) => void): () => void {
    return this.bus.subscribe(participantTopic(participantId), handler);
  }
}

/**
 * Restores each stream's order: a delivery is handed on once all earlier ones of its stream have
 * been; a gap not filled within `gapMs` (the bus delivers at most once) is skipped.
 */
export class OrderedInbox<T> {
  private readonly streams = new Map<string, { next: number; pending: Map<number, T>; timer: NodeJS.Timeout | undefined }>();

  constructor(
    private readonly emit: (item: T) => void,
    private readonly gapMs = 1_500,
  ) {}

  push(stream: string, n: number, item: T): void {
    let s = this.streams.get(stream);
    if (!s) {
      // The first message seen of a stream starts it: earlier ones were sent before we subscribed.
      s = { next: n, pending: new Map(), timer: undefined };
      this.streams.set(stream, s);
    }
    if (n < s.next) {
      this.emit(item); // late after a skipped gap: better shown late than lost
      return;
    }
    s.pending.set(n, item);
    this.flush(s);
  }

  close(): void {
    for (const s of this.streams.values()) clearTimeout(s.timer);
    this.streams.clear();
  }

  private flush(s: { next: number; pending: Map<number, T>; timer: NodeJS.Timeout | undefined }): void {
    for (let item = s.pending.get(s.next); item !== undefined; item = s.pending.get(s.next)) {
      s.pending.delete(s.next);
      s.next++;
      this.emit(item);
    }
    clearTimeout(s.timer);
    s.timer = undefined;
    if (s.pending.size > 0) {
      s.timer = setTimeout(() => {
        s.next = Math.min(...s.pending.keys());
        this.flush(s);
      }, this.gapMs);
      s.timer.unref();
    }
  }
}
