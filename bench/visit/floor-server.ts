/**
 * The floor: the least a two-party WebRTC call needs — one page (floor-page.ts) and a WebSocket that
 * pairs two peers by room name and relays their offer/answer/candidates verbatim. No accounts, no
 * waiting room, no database. Careline's visit room is measured against this (bench/visit) and the
 * video e2e tests use it to prove the browser + TURN set-up on its own (e2e/visits/floor-call.test.ts).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { FLOOR_PAGE } from './floor-page.js';

export interface FloorServer {
  /** http://127.0.0.1:<port> (no trailing slash). */
  readonly origin: string;
  /** Every message the server relayed or sent, in order (for tests). */
  readonly relayed: readonly { readonly room: string; readonly type: string }[];
  close(): Promise<void>;
}

/** Server → page: `peer` (offer: whether this side makes the offer), `signal` (the other side's data), `peer-left`. */
type Outgoing = { type: 'peer'; offer: boolean } | { type: 'signal'; data: unknown } | { type: 'peer-left' };

function roomOf(req: IncomingMessage): string | undefined {
  const room = new URL(req.url ?? '/', 'http://floor').searchParams.get('room');
  return room && /^[A-Za-z0-9_-]{1,64}$/.test(room) ? room : undefined;
}

export async function startFloorServer(): Promise<FloorServer> {
  const relayed: { room: string; type: string }[] = [];
  const rooms = new Map<string, WebSocket[]>();
  const http = createServer((req, res) => {
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://floor').pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(FLOOR_PAGE);
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, path: '/signal', maxPayload: 256 * 1024 });
  const send = (room: string, ws: WebSocket, msg: Outgoing): void => {
    relayed.push({ room, type: msg.type });
    ws.send(JSON.stringify(msg));
  };
  wss.on('connection', (ws, req) => {
    const room = roomOf(req);
    const members = room === undefined ? undefined : (rooms.get(room) ?? []);
    if (room === undefined || members === undefined || members.length >= 2) {
      ws.close(1008, room === undefined ? 'bad room' : 'room full');
      return;
    }
    members.push(ws);
    rooms.set(room, members);
    const [first, second] = members;
    // The newcomer offers; the one already there answers (the same rule as Careline's room).
    if (first && second) {
      send(room, second, { type: 'peer', offer: true });
      send(room, first, { type: 'peer', offer: false });
    }
    ws.on('message', (raw: Buffer) => {
      const other = members.find((m) => m !== ws);
      if (!other || other.readyState !== WebSocket.OPEN) return;
      let data: unknown;
      try {
        data = JSON.parse(raw.toString('utf8'));
      } catch {
        ws.close(1007, 'not JSON');
        return;
      }
      send(room, other, { type: 'signal', data });
    });
    ws.on('close', () => {
      const at = members.indexOf(ws);
      if (at !== -1) members.splice(at, 1);
      if (members.length === 0) rooms.delete(room);
      for (const m of members) if (m.readyState === WebSocket.OPEN) send(room, m, { type: 'peer-left' });
    });
  });
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    relayed,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
