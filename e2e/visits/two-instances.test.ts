/**
 * One video visit across two Careline instances sharing one PostgreSQL (issue #6: "participants on
 * different instances meet"), in real Chromium with fake media inside the loopback-only namespace:
 * the patient's browser talks only to instance A, the clinician's only to instance B. The patient
 * waits (no peer connection, no signaling), the clinician admits from B, both decode video, chat goes
 * both ways, the clinician ends the visit. Every room message crosses the realtime bus between A and B.
 *
 * The steps share one visit and run in order; a step whose predecessor failed is skipped, saying so.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { VISIT_WS_PATH } from '@careline/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { launchMediaBrowser } from '../../bench/visit/floor-call.js';
import { startSmtpSink, type SmtpSink } from '../../packages/server/src/test-support/smtp-sink.js';
import { assertWebBuilt, browserAvailable, SCREENSHOTS } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { startCoturn, turnserverPath, type RunningTurn } from '../support/coturn.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { call, PAGE_PROBE, probeReport, signedInContext, signIn, startVisitServer, waitForFrames, type Session } from './support/visit-kit.js';

const ready = browserAvailable();
if (!ready) console.warn('\n!! The two-instance visit needs Chromium (apt-get install chromium): SKIPPED.\n');
const withTurn = turnserverPath() !== undefined;
if (ready && !withTurn) console.warn('\n!! No turnserver (apt-get install coturn): the two-instance visit runs with host candidates only (127.0.0.1).\n');

/** Server → browser types a participant may receive while waiting (contracts/visits.ts). */
const WAITING_TYPES = new Set(['hello', 'lobby-message', 'pong', 'error']);
const DEMO_DOMAIN = 'valle-verde.example.org';

function typeOf(payload: string): string {
  try {
    return String((JSON.parse(payload) as { type?: unknown }).type);
  } catch {
    return `not JSON: ${payload.slice(0, 40)}`;
  }
}

interface Frame {
  readonly at: number;
  readonly url: string;
  readonly payload: string;
}

interface World {
  cluster: PgCluster;
  smtp: SmtpSink;
  turn?: RunningTurn;
  /** Instance A: the patient's. */
  originA: string;
  /** Instance B: the clinician's. */
  originB: string;
  serverLogs: () => string;
  browser: Browser;
  patient: Session;
  clinician: Session;
  appointmentId: string;
  patientPage?: Page;
  clinicianPage?: Page;
  /** Frames the patient's page received on the visit socket. */
  patientFrames: Frame[];
  /** URLs of every visit socket each page opened. */
  socketUrls: { patient: string[]; clinician: string[] };
  contexts: BrowserContext[];
}

/** Books a video visit for patient1 with dr. Ortiz in the next free slot (the clinician books, on B). */
async function bookVisit(origin: string, clinician: Session, patient: Session): Promise<string> {
  if (!clinician.fhirUser || !patient.fhirUser) throw new Error('the demo clinician or patient has no FHIR identity');
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await call(origin, 'PUT', `/api/visits/schedule/availability?practitioner=${clinician.fhirUser}`, { bearer: clinician.bearer, body: { timeZone: 'UTC', weekly, exceptions: [] } });
  const types = await call<{ visitTypes: { code: string; mode: string }[] }>(origin, 'GET', '/api/visits/visit-types', { bearer: clinician.bearer });
  const visitType = types.visitTypes.find((t) => t.mode === 'video')?.code;
  if (!visitType) throw new Error('the clinic offers no video visit type');
  const from = new Date(Date.now() + 60_000).toISOString();
  const to = new Date(Date.now() + 20 * 3_600_000).toISOString();
  const slots = await call<{ slots: { start: string }[] }>(origin, 'GET', `/api/visits/schedule/slots?practitioner=${clinician.fhirUser}&visitType=${visitType}&from=${from}&to=${to}`, { bearer: clinician.bearer });
  const slot = slots.slots[0];
  if (!slot) throw new Error('no free slot in the next 20 hours');
  const appointment = await call<{ id: string }>(origin, 'POST', '/api/visits/appointments', {
    bearer: clinician.bearer,
    body: { patient: patient.fhirUser, practitioner: clinician.fhirUser, visitType, start: slot.start },
    expect: 201,
  });
  return appointment.id;
}

describe.runIf(ready)('a video visit with the patient on one instance and the clinician on another', () => {
  let w: World | undefined;
  let failedAt: string | undefined;

  const step = (name: string, body: (world: World) => Promise<void>) =>
    it(name, async (ctx: TestContext) => {
      if (failedAt || !w) {
        console.warn(`SKIPPED "${name}": an earlier step failed (${failedAt ?? 'set-up'}).`);
        ctx.skip();
        return;
      }
      try {
        await body(w);
      } catch (err) {
        failedAt = name;
        await screenshots(w, name);
        throw new Error(`${(err as Error).message}\nserver logs:\n${w.serverLogs()}`, { cause: err });
      }
    });

  async function screenshots(world: World, stepName: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const slug = stepName.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    for (const [i, context] of world.contexts.entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: path.join(SCREENSHOTS, `visit-two-instances-${slug}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
      }
    }
  }

  beforeAll(async () => {
    assertWebBuilt();
    const cluster = await startPgCluster();
    const smtp = await startSmtpSink();
    const turn = withTurn ? await startCoturn() : undefined;
    const common = { databaseUrl: cluster.url, smtpUrl: smtp.url, ...(turn ? { turn } : {}), extra: { CARELINE_VISIT_JOIN_EARLY_MINUTES: '1440' } };
    // One after the other: the first applies the migrations, the second finds them applied.
    const a = await startVisitServer(common);
    const b = await startVisitServer(common);
    const demo = await call<{ password: string }>(a.origin, 'POST', '/api/setup/demo', { body: { patients: 3 }, expect: 201 });
    // Each signs in on their own instance: sessions and accounts come from the shared database.
    const patient = await signIn(a.origin, `patient1@${DEMO_DOMAIN}`, demo.password);
    const clinician = await signIn(b.origin, `dr.ortiz@${DEMO_DOMAIN}`, demo.password, new Set());
    const appointmentId = await bookVisit(b.origin, clinician, patient);
    const serverLogs = () =>
      [`── instance A ──`, a.process.stdout(), a.process.stderr(), `── instance B ──`, b.process.stdout(), b.process.stderr()].map((s) => s.slice(-2_500)).join('\n');
    w = {
      cluster, smtp, ...(turn ? { turn } : {}), originA: a.origin, originB: b.origin, serverLogs, browser: await launchMediaBrowser(),
      patient, clinician, appointmentId, patientFrames: [], socketUrls: { patient: [], clinician: [] }, contexts: [],
    };
  });

  afterAll(async () => {
    for (const c of w?.contexts ?? []) await c.close().catch(() => undefined);
    await w?.browser.close();
    await killAll();
    await w?.smtp.close();
    await w?.turn?.stop();
    await w?.cluster.stop();
    removeTempDirs();
  });

  async function newPage(world: World, origin: string, session: Session, sockets: string[]): Promise<Page> {
    const context = await world.browser.newContext({ permissions: ['camera', 'microphone'], locale: 'en-US', timezoneId: 'UTC' });
    world.contexts.push(context);
    await context.addInitScript(PAGE_PROBE);
    await signedInContext(context, origin, session);
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    page.on('websocket', (ws) => {
      if (ws.url().includes(VISIT_WS_PATH)) sockets.push(ws.url());
    });
    return page;
  }

  step('the patient waits on instance A: no peer connection, no signaling', async (world) => {
    const page = await newPage(world, world.originA, world.patient, world.socketUrls.patient);
    world.patientPage = page;
    page.on('websocket', (ws) => {
      if (!ws.url().includes(VISIT_WS_PATH)) return;
      ws.on('framereceived', (f) => world.patientFrames.push({ at: Date.now(), url: ws.url(), payload: typeof f.payload === 'string' ? f.payload : '[binary]' }));
    });
    await page.goto(`${world.originA}/portal/visits/${world.appointmentId}/join`);
    await page.getByTestId('visit-join-button').click();
    await page.locator('[data-testid="waiting-indicator"][data-state="waiting"]').waitFor();
    const atWaiting = await probeReport(page);
    const open = await page.evaluate<number>("window.__visitProbe.peerConnections.filter((x) => x.pc.connectionState !== 'closed' && x.pc.signalingState !== 'closed').length");
    expect(open, 'pre-call check connections left open in the waiting room').toBe(0);

    // The clinician opens the visit on B and sees the patient who waits on A; a note crosses to A.
    const host = await newPage(world, world.originB, world.clinician, world.socketUrls.clinician);
    world.clinicianPage = host;
    await host.goto(`${world.originB}/console/visits/${world.appointmentId}`);
    await host.getByTestId('visit-join-button').click();
    await host.getByTestId('visit-admit').waitFor();
    await host.getByLabel('Message to everyone waiting').fill('One moment please');
    await host.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.getByTestId('waiting-host-message').textContent(), { timeout: 60_000 }).toContain('One moment please');

    // Each browser talked only to its own instance.
    expect(world.socketUrls.patient.length).toBeGreaterThan(0);
    expect(world.socketUrls.clinician.length).toBeGreaterThan(0);
    for (const u of world.socketUrls.patient) expect(new URL(u).port).toBe(new URL(world.originA).port);
    for (const u of world.socketUrls.clinician) expect(new URL(u).port).toBe(new URL(world.originB).port);

    const now = await probeReport(page);
    expect(now.peerConnections, 'RTCPeerConnections created in the waiting room').toBe(atWaiting.peerConnections);
    expect(await page.getByTestId('visit-page').getAttribute('data-peer-connections')).toBe('0');
    const types = world.patientFrames.map((f) => typeOf(f.payload));
    expect(types).toContain('hello');
    expect(types).toContain('lobby-message');
    expect(types.filter((t) => !WAITING_TYPES.has(t)), 'messages a waiting participant must not receive').toEqual([]);
    for (const f of world.patientFrames) expect(f.payload).not.toMatch(/candidate|"sdp"|ticket|encounter/i);
  });

  step('the clinician admits from instance B and both sides decode video', async (world) => {
    const patient = world.patientPage as Page;
    const host = world.clinicianPage as Page;
    const admittedAt = Date.now();
    await host.getByTestId('visit-admit').click();
    await patient.locator('[data-testid="visit-page"][data-phase="admitted"]').waitFor();
    // Playwright reports socket frames apart from the page's own updates: wait for the frame itself.
    const firstOther = () => world.patientFrames.find((f) => !WAITING_TYPES.has(typeOf(f.payload)));
    await expect
      .poll(() => firstOther() !== undefined, { timeout: 30_000, message: `a room message after the admit; received: ${world.patientFrames.map((f) => typeOf(f.payload)).join(', ')}` })
      .toBe(true);
    expect(firstOther()?.at ?? 0, 'the first room message arrives only after the admit').toBeGreaterThanOrEqual(admittedAt);
    expect(await waitForFrames(patient, 90_000)).toBeGreaterThan(0);
    expect(await waitForFrames(host, 90_000)).toBeGreaterThan(0);
  });

  step('chat goes both ways between the instances', async (world) => {
    const patient = world.patientPage as Page;
    const host = world.clinicianPage as Page;
    await host.getByTestId('visit-chat-input').fill('Hello from instance B');
    await host.getByRole('button', { name: 'Send', exact: true }).click();
    await patient.getByTestId('visit-chat-log').getByText('Hello from instance B').waitFor();
    await patient.getByTestId('visit-chat-input').fill('Hello from instance A');
    await patient.getByRole('button', { name: 'Send', exact: true }).click();
    await host.getByTestId('visit-chat-log').getByText('Hello from instance A').waitFor();
  });

  step('the clinician ends the visit on B and the patient on A sees it ended', async (world) => {
    const host = world.clinicianPage as Page;
    await host.getByTestId('visit-end').click();
    await host.getByTestId('visit-end-confirm').click();
    await (world.patientPage as Page).getByTestId('visit-ended').waitFor();
    expect(world.patientFrames.map((f) => typeOf(f.payload))).toContain('ended');
    // Both instances read the same record: the Appointment is fulfilled, seen from A by the patient.
    const appointment = await call<{ status: string }>(world.originA, 'GET', `/fhir/R4/Appointment/${world.appointmentId}`, { bearer: world.patient.bearer });
    expect(appointment.status).toBe('fulfilled');
  });
});
