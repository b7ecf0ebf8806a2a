/**
 * The Careline side of bench/visit: the same call as the floor but through Careline's own join page
 * and visit room, and the 1,000-WebSocket waiting-room load. Both need the visit room server
 * (packages/server/src/visits/room) and pages (packages/web/src/visits/room); until those exist the
 * bench says exactly what is missing instead of printing a figure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningTurn } from '../../e2e/support/coturn.js';
import { REPO_ROOT } from '../lib/repo.js';
import { carelineCallSamples } from './careline-call.js';
import type { CallSamples, Path } from './floor-call.js';

export interface CarelineCallOptions {
  readonly browser: Browser;
  readonly runs: number;
  readonly turn: RunningTurn | undefined;
  readonly paths: readonly Path[];
}

export type Measured<T> = { readonly missing: string } | T;

const ROOM_SERVER = path.join(REPO_ROOT, 'packages/server/src/visits/room');
const ROOM_PAGES = path.join(REPO_ROOT, 'packages/web/src/visits/room');

/** What the Careline measurements still lack, or undefined when server and pages are there. */
export function carelineRoomMissing(): string | undefined {
  const serverFiles = existsSync(ROOM_SERVER) ? readdirSync(ROOM_SERVER).filter((f) => f.endsWith('.ts')) : [];
  const signals = serverFiles.some((f) => readFileSync(path.join(ROOM_SERVER, f), 'utf8').includes('VISIT_WS_PATH'));
  if (!signals) return 'the visit-room signaling server (WebSocket /api/visits/signal in packages/server/src/visits/room) does not exist yet';
  if (!existsSync(ROOM_PAGES)) return "the visit-room pages (packages/web/src/visits/room: /visit/join, the clinician's room) do not exist yet";
  return undefined;
}

export async function measureCarelineCall(o: CarelineCallOptions): Promise<Measured<{ readonly samples: readonly CallSamples[] }>> {
  const missing = carelineRoomMissing();
  if (missing) return { missing };
  // The patient waits in /portal/visits/:id/join, the clinician admits from /console/visits/:id (careline-call.ts).
  return { samples: await carelineCallSamples(o) };
}

export async function measureWaitingRoomLoad(o: { readonly connections: number }): Promise<Measured<{ readonly markdown: string }>> {
  const missing = carelineRoomMissing();
  if (missing) return { missing };
  // ─── WAITING-ROOM LOAD (to fill in once the room server has landed) ──────────────────────────────
  // One Careline instance; o.connections participants joined (POST /api/visits/join) and holding
  // the signaling WebSocket in `waiting`; the host admits them one by one; admit sent → `admitted`
  // received, p50/p99 over all; the server's VmRSS (bench/lib/proc-status.ts) before and with all
  // connections open.
  return { missing: `the room server exists, but the waiting-room load (${o.connections} connections) in bench/visit/careline-room.ts is not written yet` };
}
