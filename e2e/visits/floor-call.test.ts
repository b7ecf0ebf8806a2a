/**
 * The browser + network set-up on its own, before any Careline page is involved: two Chromium pages
 * with fake media, paired by the floor signaling server (bench/visit), decode each other's video —
 * peer-to-peer on loopback, and relay-only through a real coturn with TURN REST credentials; and
 * coturn refuses credentials that have expired or were minted with another secret.
 * Runs inside the loopback-only namespace (e2e/visits/run.mjs).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorCall, floorStats, launchMediaBrowser, type FloorCallResult, type RtcConfig } from '../../bench/visit/floor-call.js';
import { startFloorServer, type FloorServer } from '../../bench/visit/floor-server.js';
import type { CarelineConfig } from '../../packages/server/src/platform/config/config.js';
import { iceServersFor } from '../../packages/server/src/visits/room/ice-servers.js';
import { browserAvailable } from '../support/browser.js';
import { startCoturn, turnRestCredentials, turnserverPath, type RunningTurn } from '../support/coturn.js';

if (!turnserverPath()) {
  const notice = 'coturn (turnserver) is not installed: the relay-only video tests cannot run. Install it with: apt-get install coturn';
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`\n!! ${notice}\n`);
}

describe.runIf(browserAvailable())('a bare two-page WebRTC call (the floor)', () => {
  let browser: Browser;
  let floor: FloorServer;
  let turn: RunningTurn | undefined;
  const calls: FloorCallResult[] = [];

  beforeAll(async () => {
    floor = await startFloorServer();
    browser = await launchMediaBrowser();
    if (turnserverPath()) turn = await startCoturn();
  });

  afterAll(async () => {
    for (const c of calls) await Promise.all([c.waiting.close(), c.joining.close()]);
    await browser?.close();
    await floor?.close();
    await turn?.stop();
  });

  it('connects peer-to-peer over loopback and both sides decode video', async () => {
    const call = await floorCall(browser, floor.origin, { iceServers: [], iceTransportPolicy: 'all' });
    calls.push(call);
    for (const side of [call.waiting, call.joining]) {
      const s = await floorStats(side.page);
      expect(s.framesDecoded).toBeGreaterThan(0);
      expect(s.selected?.local).toMatchObject({ type: 'host', address: '127.0.0.1' });
      expect(s.selected?.remote?.type).toBe('host');
    }
  });

  it.runIf(turnserverPath())('connects relay-only through coturn and both sides decode video', async () => {
    if (!turn) throw new Error('coturn did not start');
    const config: RtcConfig = { iceServers: [{ urls: turn.urls, ...turn.mint(600, 'floor-relay') }], iceTransportPolicy: 'relay' };
    const call = await floorCall(browser, floor.origin, config);
    calls.push(call);
    for (const side of [call.waiting, call.joining]) {
      const s = await floorStats(side.page);
      expect(s.framesDecoded).toBeGreaterThan(0);
      // Relay policy: the browser offers only relay candidates, and the pair in use is relayed by coturn.
      expect(new Set(s.localTypes)).toEqual(new Set(['relay']));
      expect(s.selected?.local).toMatchObject({ type: 'relay', address: '127.0.0.1' });
      expect(s.selected?.remote?.type).toBe('relay');
    }
  });

  it.runIf(turnserverPath())('coturn refuses TURN credentials that have expired, or were minted with another secret', async () => {
    if (!turn) throw new Error('coturn did not start');
    const page = calls[0]?.waiting.page;
    if (!page) throw new Error('needs the peer-to-peer call above');
    const gather = (credentials: { username: string; credential: string }) =>
      page.evaluate<{ types: string[]; errors: { code: number; text: string }[] }>(
        `window.floor.gather(${JSON.stringify({ iceServers: [{ urls: [turn?.urls[0]], ...credentials }], iceTransportPolicy: 'relay' })})`,
      );
    // Control: fresh credentials give a relay candidate, so an empty result below means refusal.
    const valid = await gather(turn.mint(60));
    expect(valid.types).toContain('relay');
    // Side by side: a refused gather waits out the TURN retries before it completes.
    const [expired, forged] = await Promise.all([gather(turn.mint(-60)), gather(turnRestCredentials('not-the-secret', Math.floor(Date.now() / 1000) + 600, 'forged'))]);
    expect(expired.types).toEqual([]);
    expect(expired.errors.map((e) => e.code)).toContain(401);
    expect(forged.types).toEqual([]);
    expect(forged.errors.map((e) => e.code)).toContain(401);
  });

  it.runIf(turnserverPath())("coturn accepts the ICE servers Careline's server hands out (visits/room), until they expire", async () => {
    if (!turn) throw new Error('coturn did not start');
    const page = calls[0]?.waiting.page;
    if (!page) throw new Error('needs the peer-to-peer call above');
    const video: CarelineConfig['video'] = { stunUrls: [], turnUrls: [turn.urls[0] ?? ''], turnSecret: turn.secret, iceTransportPolicy: 'relay', joinEarlyMinutes: 15, joinLateMinutes: 60 };
    const gather = (expiresAt: Date) =>
      page.evaluate<{ types: string[]; errors: { code: number }[] }>(
        `window.floor.gather(${JSON.stringify({ iceServers: iceServersFor(video, '7d1d7c1e-0000-4000-8000-000000000001', expiresAt), iceTransportPolicy: 'relay' })})`,
      );
    expect((await gather(new Date(Date.now() + 10 * 60_000))).types).toContain('relay');
    const expired = await gather(new Date(Date.now() - 1_000));
    expect(expired.types).toEqual([]);
    expect(expired.errors.map((e) => e.code)).toContain(401);
  });
});
