/**
 * The waiting-room load of bench/visit: one Careline instance (embedded database, the self-hosting
 * default), N guests spread over several appointments, each joined with its own guest link
 * (POST /api/visits/join) and holding the signaling WebSocket in `waiting`; the host of each room
 * connected too (lobby updates on every arrival). Then the hosts admit the guests one at a time, and
 * each admit is timed from sending `admit` on the host's socket to the guest's socket receiving
 * `admitted`. The server's VmRSS is read before the guests connect and with all of them waiting.
 * 127.0.0.1 only; bounded by the connection count and an overall deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TJoinResponse } from '@careline/contracts';
import { freePort } from '../../e2e/support/pg-cluster.js';
import { call, signIn, type Session } from '../../e2e/visits/support/visit-kit.js';
import { startCareline } from '../lib/careline-server.js';
import { defer } from '../lib/cleanup.js';
import { readRssMb } from '../lib/proc-status.js';
import { markdownTable } from '../lib/report.js';
import { formatInt, formatMb, formatMs, max, median } from '../lib/stats.js';
import { RoomSocket } from './room-socket.js';

export interface WaitingRoomLoadOptions {
  readonly connections: number;
  /** Guests per appointment (room); the last room takes the remainder. */
  readonly perRoom?: number;
  /** The whole measurement, set-up included, must end within this. */
  readonly deadlineMs?: number;
}

export interface WaitingRoomLoad {
  readonly connections: number;
  readonly rooms: number;
  readonly admitMs: readonly number[];
  readonly rssBeforeMb: number;
  readonly rssWaitingMb: number;
  readonly joinPhaseMs: number;
}

/** Nearest-rank percentile (p in (0, 100]) of a non-empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
}

/** Runs fn over items with at most `limit` in flight. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Room {
  readonly appointmentId: string;
  readonly guests: number;
}

/** Video appointments of patient1 with the demo clinician, one per room, in distinct free slots. */
async function bookRooms(origin: string, clinician: Session, patient: Session, sizes: readonly number[]): Promise<Room[]> {
  if (!clinician.fhirUser || !patient.fhirUser) throw new Error('the demo clinician or patient has no FHIR identity');
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await call(origin, 'PUT', `/api/visits/schedule/availability?practitioner=${clinician.fhirUser}`, { bearer: clinician.bearer, body: { timeZone: 'UTC', weekly, exceptions: [] } });
  const types = await call<{ visitTypes: { code: string; mode: string }[] }>(origin, 'GET', '/api/visits/visit-types', { bearer: clinician.bearer });
  const visitType = types.visitTypes.find((t) => t.mode === 'video')?.code;
  if (!visitType) throw new Error('no video visit type');
  const from = new Date(Date.now() + 60_000).toISOString();
  const to = new Date(Date.now() + 20 * 3_600_000).toISOString();
  const { slots } = await call<{ slots: { start: string }[] }>(origin, 'GET', `/api/visits/schedule/slots?practitioner=${clinician.fhirUser}&visitType=${visitType}&from=${from}&to=${to}`, { bearer: clinician.bearer });
  if (slots.length < sizes.length) throw new Error(`${sizes.length} rooms need as many free slots; there are ${slots.length}`);
  const rooms: Room[] = [];
  for (const [i, guests] of sizes.entries()) {
    const { id } = await call<{ id: string }>(origin, 'POST', '/api/visits/appointments', {
      bearer: clinician.bearer,
      body: { patient: patient.fhirUser, practitioner: clinician.fhirUser, visitType, start: slots[i]?.start },
      expect: 201,
    });
    rooms.push({ appointmentId: id, guests });
  }
  return rooms;
}

export function roomSizes(connections: number, perRoom: number): number[] {
  const sizes: number[] = [];
  for (let left = connections; left > 0; left -= perRoom) sizes.push(Math.min(perRoom, left));
  return sizes;
}

export async function runWaitingRoomLoad(o: WaitingRoomLoadOptions): Promise<WaitingRoomLoad> {
  const { connections } = o;
  if (!Number.isInteger(connections) || connections < 1 || connections > 5_000) throw new Error('--connections must be an integer from 1 to 5000');
  const deadline = Date.now() + (o.deadlineMs ?? 15 * 60_000);
  const inTime = (what: string): void => {
    if (Date.now() > deadline) throw new Error(`the waiting-room load ran out of time during ${what}`);
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-room-'));
  const removeData = defer('remove the waiting-room bench data folder', () => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const { server, url } = await startCareline(
    {
      CARELINE_DATA_DIR: dataDir,
      CARELINE_PORT: String(port),
      CARELINE_PUBLIC_URL: `http://127.0.0.1:${port}/`,
      CARELINE_PASSWORD_HASH_MEMORY_KIB: '1024',
      CARELINE_PASSWORD_HASH_TIME_COST: '1',
      // The rooms are booked over the next hours: their links must open now.
      CARELINE_VISIT_JOIN_EARLY_MINUTES: '1440',
      CARELINE_JOBS: 'false',
    },
    'careline (waiting-room load)',
  );
  const sockets: RoomSocket[] = [];
  const closeSockets = defer('close the waiting-room sockets', () => {
    for (const s of sockets) s.close();
  });
  try {
    const origin = url.replace(/\/+$/, '');
    const demo = await call<{ password: string }>(origin, 'POST', '/api/setup/demo', { body: { patients: 3 }, expect: 201 });
    const patient = await signIn(origin, 'patient1@valle-verde.example.org', demo.password);
    const clinician = await signIn(origin, 'dr.ortiz@valle-verde.example.org', demo.password);
    const rooms = await bookRooms(origin, clinician, patient, roomSizes(connections, o.perRoom ?? 100));
    console.log(`waiting-room load: ${rooms.length} rooms booked; inviting ${connections} guests…`);

    // Guest links, as a clinician invites them (the link is shown once; its token is in the fragment).
    const invites = rooms.flatMap((r) => Array.from({ length: r.guests }, (_, i) => ({ room: r, n: i + 1 })));
    const tokens = await inPool(invites, 8, async ({ room, n }) => {
      const invited = await call<{ url: string }>(origin, 'POST', `/api/visits/${room.appointmentId}/guests`, { bearer: clinician.bearer, body: { displayName: `Guest ${n}`, role: 'family' }, expect: 201 });
      const token = /#t=([\w-]+)/.exec(invited.url)?.[1];
      if (!token) throw new Error('a guest link without a token');
      return token;
    });
    inTime('the invitations');

    // The hosts first: each room's clinician is connected (admitted) and gets `lobby` on every arrival.
    const hosts = new Map<string, RoomSocket>();
    for (const room of rooms) {
      const joined = await call<TJoinResponse>(origin, 'POST', `/api/visits/${room.appointmentId}/join`, { bearer: clinician.bearer, body: {} });
      const host = await RoomSocket.open(origin, joined.ticket, `host of ${room.appointmentId}`);
      sockets.push(host);
      await host.waitFor('hello', 30_000);
      hosts.set(room.appointmentId, host);
    }
    const rssBeforeMb = readRssMb(server.pid);

    // Every guest joins with their link and waits on an open socket.
    const joinStarted = performance.now();
    const guests = await inPool(invites, 16, async ({ room }, i) => {
      const joined = await call<TJoinResponse>(origin, 'POST', '/api/visits/join', { body: { token: tokens[i] } });
      const socket = await RoomSocket.open(origin, joined.ticket, `guest ${i + 1}`);
      sockets.push(socket);
      await socket.waitFor('hello', 60_000);
      if ((i + 1) % 100 === 0) console.log(`waiting-room load: ${i + 1}/${connections} guests waiting`);
      return { room, id: joined.self.id, socket };
    });
    const joinPhaseMs = performance.now() - joinStarted;
    inTime('the joins');
    const stillOpen = guests.filter((g) => g.socket.isOpen).length;
    if (stillOpen !== connections) throw new Error(`only ${stillOpen} of ${connections} guest sockets are still open after joining`);
    const rssWaitingMb = readRssMb(server.pid);
    console.log(`waiting-room load: all ${connections} waiting; server VmRSS ${formatMb(rssBeforeMb)} → ${formatMb(rssWaitingMb)}; admitting one at a time…`);

    // The hosts admit one guest at a time: admit sent → `admitted` received by that guest.
    const admitMs: number[] = [];
    for (const [i, g] of guests.entries()) {
      const host = hosts.get(g.room.appointmentId);
      if (!host) throw new Error('a guest without a host');
      const received = g.socket.waitFor('admitted', 30_000);
      const sent = performance.now();
      host.send({ type: 'admit', participantId: g.id });
      admitMs.push((await received) - sent);
      if (host.errors.length > 0) throw new Error(`the host got errors: ${host.errors.join('; ')}`);
      if ((i + 1) % 100 === 0) console.log(`waiting-room load: ${i + 1}/${connections} admitted (median so far ${formatMs(median(admitMs))})`);
      inTime('the admits');
    }
    return { connections, rooms: rooms.length, admitMs, rssBeforeMb, rssWaitingMb, joinPhaseMs };
  } finally {
    await closeSockets();
    await server.stop();
    await removeData();
  }
}

/** The markdown the bench appends: a sentence on the method and one table row. */
export function waitingRoomMarkdown(r: WaitingRoomLoad): string {
  const perSocketKb = ((r.rssWaitingMb - r.rssBeforeMb) * 1024) / r.connections;
  return [
    `${formatInt(r.connections)} waiting-room WebSockets on one instance (embedded database): ${r.rooms} appointment${r.rooms === 1 ? '' : 's'} (rooms), each with its host clinician connected and its guests joined through their own guest links (\`POST /api/visits/join\`, then the WebSocket \`/api/visits/signal\`), all waiting at once (joined in ${formatMs(r.joinPhaseMs)}, 16 at a time). Then the hosts admit them one at a time; each admit is timed from sending \`admit\` on the host's socket to that guest's socket receiving \`admitted\` (client and server on 127.0.0.1). Server VmRSS from \`/proc/<pid>/status\`, before the guests connected and with all of them waiting.`,
    '',
    markdownTable(
      ['Connections', 'Rooms', 'Admit → admitted median', 'p99', 'Max', 'Server RSS before', 'RSS with all waiting', 'Per waiting socket'],
      [[formatInt(r.connections), String(r.rooms), `**${formatMs(median(r.admitMs))}**`, `**${formatMs(percentile(r.admitMs, 99))}**`, formatMs(max(r.admitMs)), formatMb(r.rssBeforeMb), formatMb(r.rssWaitingMb), `${Math.round(perSocketKb)} KB`]],
    ),
  ].join('\n');
}
