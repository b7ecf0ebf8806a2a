/**
 * The video visit end to end (issue #6, Tests), in real Chromium with fake media inside the
 * loopback-only namespace, on a throwaway PostgreSQL cluster, with a real SMTP sink and coturn:
 * the patient books → the reminder mail arrives with the join link and a calendar invitation → the
 * patient joins the waiting room from the link → until admitted the waiting page holds no peer
 * connection and receives no signaling → the clinician admits → both decode video → chat both ways →
 * the telepresenter records a blood pressure and the clinician sees it live → the clinician ends the
 * visit and signs the note → the patient sees the after-visit summary.
 *
 * The steps share one visit and run in order; a step whose predecessor failed is skipped, saying so.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { VISIT_WS_PATH } from '@careline/contracts';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { launchMediaBrowser } from '../../bench/visit/floor-call.js';
import { calendarPart, icsValue } from '../../packages/server/src/test-support/mail-reader.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../packages/server/src/test-support/smtp-sink.js';
import { assertWebBuilt, browserAvailable, SCREENSHOTS } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { startCoturn, turnserverPath, type RunningTurn } from '../support/coturn.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { call, PAGE_PROBE, probeReport, signedInContext, signIn, startVisitServer, waitForFrames, type Session } from './support/visit-kit.js';

const ready = browserAvailable() && turnserverPath() !== undefined;
if (!ready) console.warn('\n!! The visit journey needs Chromium and coturn (apt-get install chromium coturn): SKIPPED.\n');

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

interface World {
  cluster: PgCluster;
  smtp: SmtpSink;
  turn: RunningTurn;
  origin: string;
  /** The server's log so far (warnings and errors), for failure messages. */
  serverLog: () => string;
  browser: Browser;
  password: string;
  patient: Session;
  clinician: Session;
  telepresenter?: Session;
  appointmentId?: string;
  joinLink?: string;
  patientPage?: Page;
  clinicianPage?: Page;
  frames: { at: number; payload: string }[];
  contexts: BrowserContext[];
}

describe.runIf(ready)('a video visit from booking to after-visit summary', () => {
  let w: World | undefined;
  let failedAt: string | undefined;

  /** Runs one step; after a failure the rest are skipped with a printed reason. */
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
        throw err;
      }
    });

  /** Every open page of the journey, saved to .artifacts/screenshots/ when a step fails. */
  async function screenshots(world: World, stepName: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const slug = stepName.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    for (const [i, context] of world.contexts.entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: path.join(SCREENSHOTS, `visit-journey-${slug}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
      }
    }
  }

  beforeAll(async () => {
    assertWebBuilt();
    const cluster = await startPgCluster();
    const smtp = await startSmtpSink();
    const turn = await startCoturn();
    // Patients book at least two hours ahead (clinic rules); links open a day early here so the
    // visit booked by the patient can be joined now. Everything else is as configured in production.
    const server = await startVisitServer({ databaseUrl: cluster.url, smtpUrl: smtp.url, turn, extra: { CARELINE_VISIT_JOIN_EARLY_MINUTES: '1440' } });
    const demo = await call<{ password: string }>(server.origin, 'POST', '/api/setup/demo', { body: { patients: 3 }, expect: 201 });
    const used = new Set<number>();
    const patient = await signIn(server.origin, `patient1@${DEMO_DOMAIN}`, demo.password);
    const clinician = await signIn(server.origin, `dr.ortiz@${DEMO_DOMAIN}`, demo.password, used);
    w = { cluster, smtp, turn, origin: server.origin, serverLog: () => `${server.process.stdout()}\n${server.process.stderr()}`.slice(-4_000), browser: await launchMediaBrowser(), password: demo.password, patient, clinician, frames: [], contexts: [] };
  });

  afterAll(async () => {
    for (const c of w?.contexts ?? []) await c.close().catch(() => undefined);
    await w?.browser.close();
    await killAll();
    await w?.smtp.close();
    await w?.turn.stop();
    await w?.cluster.stop();
    removeTempDirs();
  });

  async function newContext(world: World, session?: Session): Promise<Page> {
    const context = await world.browser.newContext({ permissions: ['camera', 'microphone'], locale: 'en-US', timezoneId: 'UTC' });
    world.contexts.push(context);
    await context.addInitScript(PAGE_PROBE);
    if (session) await signedInContext(context, world.origin, session);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    return page;
  }

  step('the patient books a video visit and the reminder mail brings the join link and a calendar invitation', async (world) => {
    const { origin, patient, clinician } = world;
    if (!clinician.fhirUser) throw new Error('the demo clinician has no Practitioner');
    const practitioner = clinician.fhirUser;
    const all = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    await call(origin, 'PUT', `/api/visits/schedule/availability?practitioner=${practitioner}`, { bearer: clinician.bearer, body: { timeZone: 'UTC', weekly: all, exceptions: [] } });
    const types = await call<{ visitTypes: { code: string; mode: string }[]; rules: { minNoticeMinutes: number } }>(origin, 'GET', '/api/visits/visit-types', { bearer: patient.bearer });
    const video = types.visitTypes.find((t) => t.mode === 'video');
    if (!video) throw new Error('the clinic offers no video visit type');
    const from = new Date(Date.now() + (types.rules.minNoticeMinutes + 5) * 60_000).toISOString();
    const to = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const slots = await call<{ slots: { start: string }[] }>(origin, 'GET', `/api/visits/schedule/slots?practitioner=${practitioner}&visitType=${video.code}&from=${from}&to=${to}`, { bearer: patient.bearer });
    const slot = slots.slots[0];
    if (!slot) throw new Error('no free slot in the next day');
    const appointment = await call<{ id: string; status: string }>(origin, 'POST', '/api/visits/appointments', {
      bearer: patient.bearer,
      body: { practitioner, visitType: video.code, start: slot.start, reason: 'Blood pressure follow-up', preferredLanguage: 'es', interpreterNeeded: false },
      expect: 201,
    });
    expect(appointment.status).toBe('booked');
    world.appointmentId = appointment.id;

    // The 1 h reminder is queued for an hour before the start; bring it forward in pg-boss's queue
    // (the only thing the test changes) so the real job sends the real mail now.
    const db = new pg.Client({ connectionString: world.cluster.url });
    await db.connect();
    let mail: ReceivedMail;
    try {
      const moved = await db.query(
        "UPDATE pgboss.job SET start_after = now() WHERE name = 'visits-appointment-reminder' AND data->>'appointmentId' = $1 AND state = 'created' RETURNING data->>'lead' AS lead",
        [appointment.id],
      );
      expect(moved.rows.map((r: { lead: string }) => r.lead)).toEqual(['1h']);
      mail = await world.smtp.waitFor(patient.email, (m) => m.raw.includes('/visit/join#t='), 30_000).catch(async (err: unknown) => {
        // Say what became of the job: still queued, failed (with pg-boss's recorded error), or done without a mail.
        const jobs = await db.query("SELECT state, retry_count, output FROM pgboss.job WHERE name = 'visits-appointment-reminder' AND data->>'appointmentId' = $1", [appointment.id]);
        throw new Error(`${(err as Error).message}; the reminder job: ${JSON.stringify(jobs.rows)}\nserver log:\n${world.serverLog()}`, { cause: err });
      });
    } finally {
      await db.end();
    }
    expect(mail.raw).toContain('Careline: your upcoming video visit');
    // Soft: a missing invitation fails this step, but the visit itself can still be tested.
    expect.soft(mail.raw, 'the reminder carries an ICS invitation (text/calendar part)').toMatch(/Content-Type: text\/calendar/i);
    // Read as a mail client would: the calendar part, its transfer encoding undone.
    const ics = calendarPart(mail.raw)?.body ?? '';
    expect.soft(ics, 'the reminder carries an ICS invitation').toContain('BEGIN:VCALENDAR');
    expect.soft(icsValue(ics, 'METHOD'), 'an invitation (METHOD:REQUEST)').toBe('REQUEST');
    const link = /(https?:\/\/\S+?\/visit\/join#t=[\w-]+)/.exec(mail.raw)?.[1];
    if (!link) throw new Error('no join link in the reminder');
    expect(new URL(link).origin).toBe(origin);
    world.joinLink = link;
  });

  step('the patient joins the waiting room from the link; until admitted the page has no peer connection and receives no signaling', async (world) => {
    const page = await newContext(world);
    world.patientPage = page;
    // Every frame of the visit's signaling socket, as the browser received it.
    page.on('websocket', (ws) => {
      if (!ws.url().includes(VISIT_WS_PATH)) return;
      ws.on('framereceived', (f) => world.frames.push({ at: Date.now(), payload: typeof f.payload === 'string' ? f.payload : '[binary]' }));
    });
    await page.goto(world.joinLink ?? '');
    await page.getByTestId('visit-precall').waitFor();
    expect(new URL(page.url()).hash, 'the token leaves the address bar').toBe('');
    await page.getByTestId('visit-join-button').click();
    await page.locator('[data-testid="waiting-indicator"][data-state="waiting"]').waitFor();
    // The pre-call check's own loopback connections are closed by now; count from here.
    const atWaiting = await probeReport(page);
    const precallOpen = await page.evaluate<number>("window.__visitProbe.peerConnections.filter((x) => x.pc.connectionState !== 'closed' && x.pc.signalingState !== 'closed').length");
    expect(precallOpen, 'pre-call check connections left open in the waiting room').toBe(0);
    await page.getByRole('button', { name: 'Yes, at home' }).click();

    // The clinician opens the visit; the patient shows up in the lobby; a note to the waiting room.
    const consolePage = await newContext(world, world.clinician);
    world.clinicianPage = consolePage;
    await consolePage.goto(`${world.origin}/console/visits/${world.appointmentId ?? ''}`);
    await consolePage.getByTestId('visit-join-button').click();
    await consolePage.getByTestId('visit-admit').waitFor();
    await consolePage.getByLabel('Message to everyone waiting').fill('Running 10 minutes late');
    await consolePage.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.getByTestId('waiting-host-message').textContent(), { timeout: 30_000 }).toContain('Running 10 minutes late');

    // Everything the waiting page has: no new peer connection, only waiting-room messages.
    const before = await probeReport(page);
    expect(before.peerConnections, 'RTCPeerConnections created in the waiting room').toBe(atWaiting.peerConnections);
    expect(await page.getByTestId('visit-page').getAttribute('data-peer-connections')).toBe('0');
    const types = world.frames.map((f) => typeOf(f.payload));
    expect(types.length).toBeGreaterThan(0);
    expect(types.filter((t) => !WAITING_TYPES.has(t)), 'messages a waiting participant must not receive').toEqual([]);
    for (const f of world.frames) expect(f.payload).not.toMatch(/candidate|"sdp"|ticket|encounter/i);
  });

  step('the clinician admits the patient and both sides decode video', async (world) => {
    const patient = world.patientPage as Page;
    const clinician = world.clinicianPage as Page;
    const admittedAt = Date.now();
    await clinician.getByTestId('visit-admit').click();
    await patient.locator('[data-testid="visit-page"][data-phase="admitted"]').waitFor();
    // Playwright reports socket frames a little after the page renders them: wait for the frame itself.
    const firstOther = () => world.frames.find((f) => !WAITING_TYPES.has(typeOf(f.payload)));
    await expect.poll(() => firstOther() !== undefined, { timeout: 30_000, message: 'a room message after the admit' }).toBe(true);
    expect(firstOther()?.at ?? 0, 'the first room message arrives only after the admit').toBeGreaterThanOrEqual(admittedAt);
    expect(await waitForFrames(patient)).toBeGreaterThan(0);
    expect(await waitForFrames(clinician)).toBeGreaterThan(0);
  });

  step('chat goes both ways', async (world) => {
    const patient = world.patientPage as Page;
    const clinician = world.clinicianPage as Page;
    await clinician.getByTestId('visit-chat-input').fill('¿Me escucha bien?');
    await clinician.getByRole('button', { name: 'Send', exact: true }).click();
    await patient.getByTestId('visit-chat-log').getByText('¿Me escucha bien?').waitFor();
    await patient.getByTestId('visit-chat-input').fill('Sí, perfectamente');
    await patient.getByRole('button', { name: 'Send', exact: true }).click();
    await clinician.getByTestId('visit-chat-log').getByText('Sí, perfectamente').waitFor();
  });

  step('the telepresenter records a blood pressure and the clinician sees it live', async (world) => {
    // The telepresenter joins at the patient's side (a third participant), is admitted, and enters the BP in the room.
    world.telepresenter ??= await signIn(world.origin, `tp.romero@${DEMO_DOMAIN}`, world.password, new Set());
    const tp = await newContext(world, world.telepresenter);
    await tp.goto(`${world.origin}/console/visits/${world.appointmentId ?? ''}`);
    await tp.getByTestId('visit-join-button').click();
    const clinician = world.clinicianPage as Page;
    await clinician.getByRole('button', { name: /^Admit .*Romero/ }).click();
    await tp.locator('[data-testid="visit-page"][data-phase="admitted"]').waitFor();
    await tp.getByTestId('vitals-systolic').fill('128');
    await tp.getByTestId('vitals-diastolic').fill('82');
    await tp.getByTestId('vitals-submit').click();
    await clinician.getByText('128/82 mmHg').first().waitFor({ timeout: 30_000 });
    await tp.getByTestId('visit-leave').click();
  });

  step('the clinician ends the visit and signs the note', async (world) => {
    const clinician = world.clinicianPage as Page;
    await clinician.getByTestId('visit-end').click();
    await clinician.getByTestId('visit-end-confirm').click();
    await (world.patientPage as Page).getByTestId('visit-ended').waitFor();
    const base = `/api/visits/${world.appointmentId ?? ''}`;
    const soap = { subjective: 'Feels well; home readings around 130/85.', objective: 'BP 128/82 mmHg (telepresenter).', assessment: 'Hypertension, controlled.', plan: 'Continue lisinopril 10 mg daily; recheck in 3 months.' };
    const saved = await call<{ version: number }>(world.origin, 'PUT', `${base}/note`, { bearer: world.clinician.bearer, body: { soap, version: 0 } });
    const signed = await call<{ status: string }>(world.origin, 'POST', `${base}/note/sign`, { bearer: world.clinician.bearer, body: { version: saved.version } });
    expect(signed.status).toBe('signed');
  });

  step('the patient sees the after-visit summary', async (world) => {
    const summary = await call<{ signed: boolean; plan: string; vitals: { value: string }[] }>(world.origin, 'GET', `/api/visits/${world.appointmentId ?? ''}/summary`, { bearer: world.patient.bearer });
    expect(summary.signed).toBe(true);
    expect(summary.plan).toContain('recheck in 3 months');
    expect(summary.vitals.map((v) => v.value)).toContain('128/82 mmHg');
    // And in the portal, signed in as the patient.
    const page = await newContext(world, world.patient);
    await page.goto(`${world.origin}/portal/visits/${world.appointmentId ?? ''}/summary`);
    await page.getByText('recheck in 3 months', { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.getByText('128/82 mmHg').first().waitFor();
  });
});
