/**
 * The Careline side of bench/visit: the same call as the floor but through Careline's own join page
 * and visit room, and the 1,000-WebSocket waiting-room load (waiting-room-load.ts). Both need the visit room server
 * (packages/server/src/visits/room) and pages (packages/web/src/visits/room); until those exist the
 * bench says exactly what is missing instead of printing a figure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningTurn } from '../../e2e/support/coturn.js';
import { REPO_ROOT } from '../lib/repo.js';
import { carelineCallSamples } from './careline-call.js';
import { runWaitingRoomLoad, waitingRoomMarkdown } from './waiting-room-load.js';
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

/** 1,000 (o.connections) waiting-room WebSockets on one instance, admitted one by one (waiting-room-load.ts). */
export async function measureWaitingRoomLoad(o: { readonly connections: number; readonly perRoom?: number }): Promise<Measured<{ readonly markdown: string }>> {
  const missing = carelineRoomMissing();
  if (missing) return { missing };
  return { markdown: waitingRoomMarkdown(await runWaitingRoomLoad(o)) };
}
