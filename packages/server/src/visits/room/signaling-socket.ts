import { randomUUID } from 'node:crypto';
import type { WebSocket } from '@fastify/websocket';
import { ZVisitClientMessage, ZVisitServerMessage, type TParticipantStatus, type TVisitClientMessage, type TVisitServerMessage } from '@careline/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { roomBroadcastTopic } from '../visit-ports.js';
import type { RealtimeBus } from '../../platform/realtime/bus.js';
import { OrderedInbox, type Delivery, type Envelope, type RoomBus } from './room-bus.js';
import { CLOSE_REPLACED, RoomRefusal, type RoomContext, type RoomService } from './room-service.js';
import { WAITING_ALLOWED } from './room-view.js';

/** Messages of one socket not yet handled; a client that floods past this is disconnected. */
const MAX_QUEUED = 256;

export interface SocketDeps {
  readonly service: RoomService;
  readonly roomBus: RoomBus;
  readonly bus: RealtimeBus;
  readonly log: FastifyBaseLogger;
}

/**
 * One participant's signaling socket. Client messages are handled one at a time, in order. Every
 * message to the browser passes `gate`: while the participant is not admitted only hello,
 * lobby-message, ended, pong and error get through, whatever any other code sent — the last line of
 * the waiting room's privacy.
 */
export class SignalingSocket {
  readonly connectionId = randomUUID();
  private status: TParticipantStatus;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly offs: (() => void)[] = [];
  private readonly inbox = new OrderedInbox<Delivery>((d) => this.apply(d));

  constructor(
    private readonly deps: SocketDeps,
    private readonly socket: WebSocket,
    readonly ctx: RoomContext,
    initialStatus: TParticipantStatus,
  ) {
    this.status = initialStatus;
  }

  start(): void {
    this.offs.push(this.deps.roomBus.subscribe(this.ctx.participantId, (raw) => this.receive(raw)));
    // vitals and other room broadcasts (visit-ports.ts): admitted participants only.
    this.offs.push(this.deps.bus.subscribe(roomBroadcastTopic(this.ctx.appointment.id), (raw) => {
      const parsed = ZVisitServerMessage.safeParse(raw);
      if (parsed.success && (parsed.data.type === 'vitals' || parsed.data.type === 'chat')) this.send(parsed.data);
    }));
    this.socket.on('message', (data: Buffer, isBinary: boolean) => this.enqueue(isBinary ? undefined : data.toString('utf8')));
    this.socket.on('close', () => this.stop());
    this.run(() => this.deps.service.connected(this.ctx, this.connectionId));
  }

  /** Sends if the gate lets it through. */
  send(message: TVisitServerMessage): void {
    if (this.status !== 'admitted' && !WAITING_ALLOWED.has(message.type)) return;
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(raw: unknown): void {
    const e = raw as Partial<Envelope> | undefined;
    if (typeof e?.s !== 'string' || typeof e.n !== 'number' || typeof e.d !== 'object') return;
    this.inbox.push(e.s, e.n, e.d);
  }

  private apply(d: Delivery): void {
    switch (d.kind) {
      case 'message':
        this.send(d.message);
        return;
      case 'status':
        this.status = d.status;
        return;
      case 'close':
        this.socket.close(d.code, d.reason);
        return;
      case 'replaced':
        if (d.connectionId !== this.connectionId) this.socket.close(CLOSE_REPLACED, 'replaced by a newer connection');
        return;
    }
  }

  private enqueue(text: string | undefined): void {
    if (++this.queued > MAX_QUEUED) {
      this.socket.close(1008, 'too many messages');
      return;
    }
    let parsed: TVisitClientMessage | undefined;
    try {
      const r = text === undefined ? undefined : ZVisitClientMessage.safeParse(JSON.parse(text));
      parsed = r?.success ? r.data : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      this.queued--;
      this.send({ type: 'error', code: 'invalid-message', diagnostics: 'Not a visit-room message (see contracts/visits.ts ZVisitClientMessage).' });
      return;
    }
    const message = parsed;
    this.run(async () => {
      this.queued--;
      await this.handle(message);
    });
  }

  private run(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      if (err instanceof RoomRefusal) {
        this.send({ type: 'error', code: err.code, diagnostics: err.message });
        return;
      }
      this.deps.log.warn({ reason: (err as Error).message, connection: this.connectionId }, 'visit room message failed');
      this.send({ type: 'error', code: 'internal', diagnostics: 'The server could not handle this message.' });
    });
  }

  private async handle(m: TVisitClientMessage): Promise<void> {
    const { service } = this.deps;
    switch (m.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'signal':
        return service.signal(this.ctx, m.to, m.data);
      case 'admit':
        return service.admit(this.ctx, m.participantId);
      case 'lobby-message':
        return service.lobbyMessage(this.ctx, m.text, m.participantId);
      case 'chat':
        return service.chat(this.ctx, m.text);
      case 'media-state':
        return service.mediaState(this.ctx, m.state);
      case 'location':
        return service.location(this.ctx, m.atHome);
      case 'leave':
        return service.leave(this.ctx);
      case 'end':
        return service.end(this.ctx);
    }
  }

  private stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.inbox.close();
    this.run(() => this.deps.service.disconnected(this.ctx, this.connectionId));
  }
}
