/**
 * One bare two-page call through the floor signaling server, driven from Node: Chromium with fake
 * camera/microphone, one browser context per participant (separate profiles, as two people would be).
 * Shared by bench/visit (timings) and e2e/visits/floor-call.test.ts (correctness).
 */
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/browser.js';

/** Fake devices, no permission prompt, and ICE candidates on loopback (the namespace has nothing else). */
export const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection'] as const;

export interface RtcConfig {
  readonly iceServers: readonly { readonly urls: string | readonly string[]; readonly username?: string; readonly credential?: string }[];
  readonly iceTransportPolicy: 'all' | 'relay';
}

export type Path = 'peer-to-peer' | 'relay (TURN)';

/** Join → both decoded, one sample per run. */
export interface CallSamples {
  readonly path: Path;
  readonly ms: readonly number[];
}

export interface CandidateInfo {
  readonly type?: string;
  readonly address?: string;
  readonly protocol?: string;
  readonly relayProtocol?: string;
}

export interface FloorStats {
  readonly framesDecoded: number;
  readonly selected?: { readonly state: string; readonly local?: CandidateInfo; readonly remote?: CandidateInfo };
  readonly connectionState: string;
  readonly localTypes: readonly string[];
  readonly errors: readonly { readonly code: number; readonly text: string; readonly url: string }[];
  readonly received: readonly string[];
}

export function launchMediaBrowser(): Promise<Browser> {
  // The headless mode is chosen by --headless=new in CHROMIUM_ARGS.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: false, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS], timeout: 60_000 });
}

export interface FloorParticipant {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** A fresh context on the floor page of `room`, with camera and microphone already open. */
export async function floorParticipant(browser: Browser, origin: string, room: string): Promise<FloorParticipant> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${origin}/?room=${room}`);
  await page.evaluate('window.floor.prepare()');
  return { context, page, close: () => context.close() };
}

export async function floorStats(page: Page): Promise<FloorStats> {
  return page.evaluate<FloorStats>('window.floor.stats()');
}

export interface FloorCallResult {
  readonly waiting: FloorParticipant;
  readonly joining: FloorParticipant;
  /**
   * From the second participant joining (the first is already connected and waiting) to the moment
   * both sides have decoded a video frame — the shape of "the clinician admits the waiting patient".
   */
  readonly joinToBothDecodedMs: number;
  /** Per side: own join → own first decoded frame. */
  readonly waitingSideMs: number;
  readonly joiningSideMs: number;
}

/** Sets up one call; the caller closes both participants. Times come from the pages' own clocks. */
export async function floorCall(browser: Browser, origin: string, config: RtcConfig): Promise<FloorCallResult> {
  const room = randomBytes(6).toString('hex');
  const waiting = await floorParticipant(browser, origin, room);
  const joining = await floorParticipant(browser, origin, room);
  const configJson = JSON.stringify(config);
  const waitingJoined = await waiting.page.evaluate<number>(`window.floor.join(${configJson})`);
  const joinedAt = await joining.page.evaluate<number>(`window.floor.join(${configJson})`);
  const [a, b] = await Promise.all([waiting.page.evaluate<number>('window.floor.firstFrame()'), joining.page.evaluate<number>('window.floor.firstFrame()')]);
  return { waiting, joining, joinToBothDecodedMs: Math.max(a, b) - joinedAt, waitingSideMs: a - waitingJoined, joiningSideMs: b - joinedAt };
}
