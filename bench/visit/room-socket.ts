/**
 * A visit-room participant without a browser, for the waiting-room load: the signaling WebSocket
 * (`/api/visits/signal`, sub-protocols `careline-visit` + `ticket.<ticket>`, an allowed Origin), the
 * arrival time of the first message of each type, and a way to wait for one.
 */
import { performance } from 'node:perf_hooks';
import { VISIT_WS_PATH, VISIT_WS_PROTOCOL, type TVisitClientMessage, type TVisitServerMessage } from '@careline/contracts';
import WebSocket from 'ws';

type ServerType = TVisitServerMessage['type'];

export class RoomSocket {
  /** performance.now() when the first message of each type arrived. */
  readonly firstAt = new Map<string, number>();
  readonly errors: string[] = [];
  private readonly waiters = new Map<string, (() => void)[]>();
  private closed = false;

  private constructor(private readonly ws: WebSocket, readonly label: string) {
    ws.on('message', (data, isBinary) => {
      const at = performance.now();
      let type: string;
      try {
        const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
        const msg = JSON.parse(text) as Partial<TVisitServerMessage>;
        type = String(msg.type);
        if (msg.type === 'error') this.errors.push(`${msg.code}: ${msg.diagnostics}`);
      } catch {
        type = 'not-json';
      }
      if (!this.firstAt.has(type)) this.firstAt.set(type, at);
      for (const wake of this.waiters.get(type) ?? []) wake();
      this.waiters.delete(type);
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Opens the socket; resolves once the server accepted the upgrade. */
  static open(origin: string, ticket: string, label: string, timeoutMs = 30_000): Promise<RoomSocket> {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${VISIT_WS_PATH}`, [VISIT_WS_PROTOCOL, `ticket.${ticket}`], { origin, handshakeTimeout: timeoutMs });
    const socket = new RoomSocket(ws, label);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`${label}: upgrade refused with HTTP ${res.statusCode}`)));
      ws.once('error', (err) => reject(new Error(`${label}: ${err.message}`)));
    });
  }

  send(message: TVisitClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves with the arrival time of the first message of this type (at once if it already came). */
  waitFor(type: ServerType, timeoutMs: number): Promise<number> {
    const seen = this.firstAt.get(type);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = [...this.firstAt.keys()].join(', ') || 'nothing';
        reject(new Error(`${this.label}: no "${type}" within ${timeoutMs} ms (socket ${this.closed ? 'closed' : 'open'}; received ${got}; errors: ${this.errors.join('; ') || 'none'})`));
      }, timeoutMs);
      const list = this.waiters.get(type) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(this.firstAt.get(type) ?? performance.now());
      });
      this.waiters.set(type, list);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (!this.closed) this.ws.terminate();
    this.closed = true;
  }
}
