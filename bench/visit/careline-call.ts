/**
 * The Careline measurement of bench/visit: the same two-party call as the floor, but through
 * Careline's own pages — the patient waits in /portal/visits/:id/join, the clinician admits from
 * /console/visits/:id — timed from the Admit click (in the clinician's page) until both pages have
 * decoded a video frame. One server per path (the ICE transport policy is server-wide), embedded
 * database, TURN from the bench's coturn, a new appointment per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningTurn } from '../../e2e/support/coturn.js';
import { freePort } from '../../e2e/support/pg-cluster.js';
import { call, PAGE_PROBE, signedInContext, signIn, type Session } from '../../e2e/visits/support/visit-kit.js';
import { startCareline } from '../lib/careline-server.js';
import { defer } from '../lib/cleanup.js';
import type { CallSamples, Path } from './floor-call.js';

/** Added after PAGE_PROBE: when the Admit button is clicked, and the first decoded frame of a peer connection created after `armedAt`. */
const TIMING_PROBE = String.raw`
(() => {
  const probe = window.__visitProbe;
  probe.armedAt = Number.POSITIVE_INFINITY;
  probe.admitClickAt = 0;
  probe.firstFrameAt = 0;
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (t && t.closest && t.closest('[data-testid="visit-admit"]')) probe.admitClickAt = Date.now();
  }, true);
  // Every 10 ms, as in the floor's page (floor-page.ts), so both sides of the comparison poll alike.
  const timer = setInterval(async () => {
    if (probe.firstFrameAt) return clearInterval(timer);
    for (const { pc, at } of probe.peerConnections) {
      if (at < probe.armedAt || pc.connectionState === 'closed') continue;
      let frames = 0;
      (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
      if (frames > 0 && !probe.firstFrameAt) probe.firstFrameAt = Date.now();
    }
  }, 10);
})();
`;

interface Timing {
  readonly admitClickAt: number;
  readonly firstFrameAt: number;
}

async function page(browser: Browser, origin: string, session: Session, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], locale: 'en-US' });
  contexts.push(context);
  await context.addInitScript(PAGE_PROBE);
  await context.addInitScript(TIMING_PROBE);
  await signedInContext(context, origin, session);
  const p = await context.newPage();
  p.setDefaultTimeout(60_000);
  return p;
}

const timing = (p: Page): Promise<Timing> => p.evaluate<Timing>('({ admitClickAt: window.__visitProbe.admitClickAt, firstFrameAt: window.__visitProbe.firstFrameAt })');
const arm = (p: Page): Promise<void> => p.evaluate<undefined>('void (window.__visitProbe.armedAt = Date.now())');

async function waitForFirstFrame(p: Page): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await timing(p);
    if (t.firstFrameAt) return t.firstFrameAt;
    if (Date.now() > deadline) throw new Error('no decoded video frame within 60 s');
    await p.waitForTimeout(50);
  }
}

/** One admitted call on a fresh appointment; returns Admit click → both decoded, in ms. */
async function oneCall(browser: Browser, origin: string, patient: Session, clinician: Session, slotStart: string, visitType: string): Promise<number> {
  const appointment = await call<{ id: string }>(origin, 'POST', '/api/visits/appointments', {
    bearer: clinician.bearer,
    body: { patient: patient.fhirUser, practitioner: clinician.fhirUser, visitType, start: slotStart },
    expect: 201,
  });
  const contexts: BrowserContext[] = [];
  try {
    const waiting = await page(browser, origin, patient, contexts);
    await waiting.goto(`${origin}/portal/visits/${appointment.id}/join`);
    await waiting.getByTestId('visit-join-button').click();
    await waiting.locator('[data-testid="waiting-indicator"][data-state="waiting"]').waitFor();
    await arm(waiting);
    const host = await page(browser, origin, clinician, contexts);
    await host.goto(`${origin}/console/visits/${appointment.id}`);
    await host.getByTestId('visit-join-button').click();
    await host.getByTestId('visit-admit').waitFor();
    await arm(host);
    await host.getByTestId('visit-admit').click();
    const [a, b] = await Promise.all([waitForFirstFrame(waiting), waitForFirstFrame(host)]);
    const { admitClickAt } = await timing(host);
    await host.getByTestId('visit-end').click();
    await host.getByTestId('visit-end-confirm').click();
    return Math.max(a, b) - admitClickAt;
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
}

export async function carelineCallSamples(o: { browser: Browser; runs: number; turn: RunningTurn | undefined; paths: readonly Path[] }): Promise<CallSamples[]> {
  const out: CallSamples[] = [];
  for (const p of o.paths) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'careline-bench-visit-'));
    const removeData = defer('remove the visit bench data folder', () => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const relay = p === 'relay (TURN)';
    if (relay && !o.turn) throw new Error('the relay path needs coturn');
    const { server, url } = await startCareline(
      {
        CARELINE_DATA_DIR: dataDir,
        CARELINE_PORT: String(port),
        // With a trailing slash: the start-up line then reads as bench/lib/careline-server.ts expects.
        CARELINE_PUBLIC_URL: `http://127.0.0.1:${port}/`,
        CARELINE_PASSWORD_HASH_MEMORY_KIB: '1024',
        CARELINE_PASSWORD_HASH_TIME_COST: '1',
        // Five visits booked back to back: links open early enough for all of them now.
        CARELINE_VISIT_JOIN_EARLY_MINUTES: '1440',
        CARELINE_JOBS: 'false',
        ...(o.turn ? { CARELINE_TURN_URLS: o.turn.urls.join(','), CARELINE_TURN_SECRET: o.turn.secret } : {}),
        CARELINE_ICE_TRANSPORT_POLICY: relay ? 'relay' : 'all',
      },
      `careline (visit bench, ${p})`,
    );
    try {
      const origin = url.replace(/\/+$/, '');
      const demo = await call<{ password: string }>(origin, 'POST', '/api/setup/demo', { body: { patients: 3 }, expect: 201 });
      const patient = await signIn(origin, 'patient1@valle-verde.example.org', demo.password);
      const clinician = await signIn(origin, 'dr.ortiz@valle-verde.example.org', demo.password);
      if (!clinician.fhirUser) throw new Error('the demo clinician has no Practitioner');
      const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
      await call(origin, 'PUT', `/api/visits/schedule/availability?practitioner=${clinician.fhirUser}`, { bearer: clinician.bearer, body: { timeZone: 'UTC', weekly, exceptions: [] } });
      const types = await call<{ visitTypes: { code: string; mode: string }[] }>(origin, 'GET', '/api/visits/visit-types', { bearer: clinician.bearer });
      const visitType = types.visitTypes.find((t) => t.mode === 'video')?.code;
      if (!visitType) throw new Error('no video visit type');
      const from = new Date(Date.now() + 60_000).toISOString();
      const to = new Date(Date.now() + 20 * 3_600_000).toISOString();
      const slots = await call<{ slots: { start: string }[] }>(origin, 'GET', `/api/visits/schedule/slots?practitioner=${clinician.fhirUser}&visitType=${visitType}&from=${from}&to=${to}`, { bearer: clinician.bearer });
      const ms: number[] = [];
      for (let i = 0; i < o.runs; i++) {
        const slot = slots.slots[i];
        if (!slot) throw new Error('not enough free slots');
        ms.push(await oneCall(o.browser, origin, patient, clinician, slot.start, visitType));
        console.log(`careline ${p} run ${i + 1}/${o.runs}: ${Math.round(ms[ms.length - 1] ?? 0)} ms`);
      }
      out.push({ path: p, ms });
    } finally {
      await server.stop();
      await removeData();
    }
  }
  return out;
}
