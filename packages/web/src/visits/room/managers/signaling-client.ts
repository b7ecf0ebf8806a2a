import { VISIT_WS_PATH, VISIT_WS_PROTOCOL, ZVisitServerMessage, type TVisitClientMessage, type TVisitServerMessage } from '@careline/contracts';
import { Emitter } from '../logic/emitter';
import { reconnectDelay, shouldReconnect } from '../logic/backoff';
import type { ConnectionState } from '../logic/room-state';

export interface SignalingEvents {
  /** Every server message that passed the contract's schema. */
  message: TVisitServerMessage;
  state: ConnectionState;
  /** The socket closed for good (ticket refused, visit over, or we closed): rejoin to continue. */
  closed: { readonly code: number };
}

export interface SignalingOptions {
  readonly ticket: string;
  readonly ticketExpiresAt: string;
  /** Injected for tests and for the dev proxy; defaults to same-origin ws(s)://host/api/visits/signal. */
  readonly url?: string;
  readonly createSocket?: (url: string, protocols: string[]) => WebSocket;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Keepalive: proxies close idle WebSockets after ~60 s (nginx proxy_read_timeout default). */
const PING_MS = 20_000;

/**
 * The visit's signaling WebSocket. The ticket travels as a sub-protocol (`ticket.<ticket>`) because
 * browsers cannot set headers on a WebSocket; the server answers with VISIT_WS_PROTOCOL. Every
 * incoming message is checked against the contract (anything else is dropped); the socket
 * reconnects with backoff keeping the same ticket until it expires or the server refuses it.
 */
export class SignalingClient extends Emitter<SignalingEvents> {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly expiresAt: number;
  private readonly now: () => number;

  constructor(private readonly options: SignalingOptions) {
    super();
    this.expiresAt = Date.parse(options.ticketExpiresAt);
    this.now = options.now ?? Date.now;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    if (this.stopped || this.socket) return;
    this.emit('state', this.attempt === 0 ? 'connecting' : 'reconnecting');
    const url = this.options.url ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${VISIT_WS_PATH}`;
    const protocols = [VISIT_WS_PROTOCOL, `ticket.${this.options.ticket}`];
    const ws = this.options.createSocket ? this.options.createSocket(url, protocols) : new WebSocket(url, protocols);
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.emit('state', 'open');
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_MS);
    };
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      const message = parseServerMessage(ev.data);
      if (message) this.emit('message', message);
    };
    ws.onclose = (ev: CloseEvent) => {
      this.clearPing();
      this.socket = undefined;
      if (!this.stopped && shouldReconnect(ev.code, this.expiresAt, this.now())) {
        this.emit('state', 'reconnecting');
        const delay = reconnectDelay(this.attempt, (this.options.random ?? Math.random)());
        this.attempt += 1;
        this.retryTimer = setTimeout(() => this.connect(), delay);
        return;
      }
      this.stopped = true;
      this.emit('state', 'closed');
      this.emit('closed', { code: ev.code });
    };
  }

  /** Sends one message; false when the socket is not open (the caller decides whether it matters). */
  send(message: TVisitClientMessage): boolean {
    const ws = this.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  close(): void {
    this.stopped = true;
    this.clearPing();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = undefined;
    this.clearListeners();
  }

  private clearPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}

/** A server frame → a contract message, or undefined for anything malformed. */
export function parseServerMessage(data: unknown): TVisitServerMessage | undefined {
  if (typeof data !== 'string' || data.length > 1_000_000) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = ZVisitServerMessage.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
