/**
 * Scheduling in real Chromium on the demo clinic: a patient books a video visit step by step (clinician,
 * visit type, day, time, details, confirm) and sees it in their list and on their home; the clinician
 * sees it in the day view, opens it, and the week and list views and the availability and
 * book-for-a-patient screens pass axe. Screenshots at 360 px and desktop for each screen.
 *
 * The clinician's availability is set through the API in New York time (the browser runs in UTC), so
 * the screens also show the clinic's time beside the patient's.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { assertWebBuilt, browserAvailable, horizontalOverflow, openBrowser, screenshotBothWidths, seriousViolations, type BrowserSession } from '../support/browser.js';
import { killAll, removeTempDirs } from '../support/careline-process.js';
import { totp } from '../support/totp.js';
import { missingEndpoints, startWebServer, type EndpointProbe } from '../support/web-server.js';

const available = browserAvailable();
let browser: BrowserSession | undefined;
let origin = '';
let demo: { password: string; accounts: { email: string; role: string; fhirUser: string | null }[] } = { password: '', accounts: [] };

interface Session {
  readonly accessToken: string;
  readonly cookie: string;
}
const sessions = new Map<string, Session>();
const CLINICIAN = 'dr.ortiz@valle-verde.example.org';
const SCHEDULING: readonly EndpointProbe[] = [
  { method: 'GET', path: '/api/visits/visit-types' },
  { method: 'GET', path: '/api/visits/practitioners' },
  { method: 'GET', path: '/api/visits/appointments/mine' },
  { method: 'POST', path: '/api/visits/appointments' },
];

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs a demo account in through the API; staff enrol TOTP first and sign in with a recovery code. */
async function signIn(email: string): Promise<Session> {
  const known = sessions.get(email);
  if (known) return known;
  let res = await post('/auth/login', { email, password: demo.password });
  if (res.status === 401) {
    const enrolment = res.headers.get('careline-enrolment-token');
    expect(enrolment, `enrolment token for ${email}`).toBeTruthy();
    const auth = { authorization: `Bearer ${enrolment ?? ''}` };
    const setup = (await (await post('/auth/mfa/totp/setup', {}, auth)).json()) as { secret: string };
    const confirmed = await post('/auth/mfa/totp/confirm', { otp: totp(setup.secret) }, auth);
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    res = await post('/auth/login', { email, password: demo.password, otp: recoveryCodes[0] });
  }
  expect(res.status, `sign-in of ${email}`).toBe(200);
  const { accessToken } = (await res.json()) as { accessToken: string };
  const cookie = /careline_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  expect(cookie).not.toBe('');
  const session = { accessToken, cookie };
  sessions.set(email, session);
  return session;
}

async function asBrowser(context: BrowserContext, session: Session): Promise<void> {
  await context.clearCookies();
  await context.addCookies([{ name: 'careline_session', value: session.cookie, url: origin, httpOnly: true, sameSite: 'Lax' }]);
}

async function api(session: Session, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** axe finds no serious or critical problem, nothing overflows 360 px, and both widths are saved. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page), name).toEqual([]);
  expect(await horizontalOverflow(page), `${name} at 360 px`).toBeLessThanOrEqual(0);
  await screenshotBothWidths(page, name);
}

async function skipWithoutApi(ctx: TestContext): Promise<void> {
  const missing = await missingEndpoints(origin, SCHEDULING);
  if (missing.length > 0) {
    console.warn(`SKIPPED "${ctx.task.name}": the server does not have ${missing.join(', ')} yet (scheduling API, contracts/scheduling.ts).`);
    ctx.skip();
  }
}

beforeAll(async () => {
  if (!available) return;
  assertWebBuilt();
  const server = await startWebServer();
  origin = server.origin;
  const res = await post('/api/setup/demo', {});
  expect(res.status).toBe(201);
  demo = (await res.json()) as typeof demo;
}, 240_000);
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});
afterAll(async () => {
  await killAll();
  removeTempDirs();
});

describe.skipIf(!available)('scheduling screens (Chromium, demo clinic)', () => {
  it('a patient books a video visit step by step, sees it listed and on their home; the clinician sees it in the day view', { timeout: 300_000 }, async (ctx) => {
    await skipWithoutApi(ctx);
    const clinician = await signIn(CLINICIAN);
    const practitioner = demo.accounts.find((a) => a.email === CLINICIAN)?.fhirUser ?? '';
    expect(practitioner).toMatch(/^Practitioner\//);
    // Every day, all day, in New York: there are free times whenever the test runs.
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    const put = await api(clinician, 'PUT', `/api/visits/schedule/availability?practitioner=${practitioner}`, { timeZone: 'America/New_York', weekly, exceptions: [] });
    expect(put.status, await put.clone().text()).toBe(200);

    const patientAccount = demo.accounts.find((a) => a.role === 'patient' && a.fhirUser);
    const patient = await signIn(patientAccount?.email ?? '');
    const bookable = (await (await api(patient, 'GET', '/api/visits/practitioners')).json()) as { practitioners: { reference: string; displayName: string }[] };
    const doctor = bookable.practitioners.find((p) => p.reference === practitioner);
    expect(doctor, 'the clinician is bookable for the demo patient').toBeDefined();

    browser = await openBrowser();
    const { page, context } = browser;
    await asBrowser(context, patient);
    await page.goto(`${origin}/portal/appointments`);
    await page.getByRole('heading', { name: 'Appointments', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Upcoming visits' }).waitFor();
    await checkScreen(page, 'scheduling-patient-list-empty');

    await page.getByRole('link', { name: 'Book a visit' }).first().click();
    await page.waitForURL(/\/portal\/appointments\/book$/);
    await page.getByRole('heading', { name: 'Who would you like to see?' }).waitFor();
    await checkScreen(page, 'scheduling-book-clinician');
    await page.getByRole('button', { name: new RegExp(doctor?.displayName ?? 'none') }).click();

    await page.getByRole('heading', { name: 'What kind of visit?' }).waitFor();
    await checkScreen(page, 'scheduling-book-type');
    await page.getByRole('button', { name: /Follow-up video visit/ }).click();

    await page.getByRole('heading', { name: 'Choose a day' }).waitFor();
    const firstDay = page.locator('[data-testid^="day-"]').first();
    await firstDay.waitFor();
    await checkScreen(page, 'scheduling-book-day');
    const day = ((await firstDay.getAttribute('data-testid')) ?? '').slice('day-'.length);
    await firstDay.click();

    await page.getByRole('heading', { name: /^Choose a time on / }).waitFor();
    await checkScreen(page, 'scheduling-book-time');
    const slot = page.getByTestId('slot').first();
    const time = (await slot.textContent()) ?? '';
    await slot.click();

    await page.getByRole('heading', { name: 'About your visit' }).waitFor();
    await page.getByLabel('Reason for the visit (optional)').fill('Blood pressure check');
    await page.getByLabel('I need an interpreter').check();
    await checkScreen(page, 'scheduling-book-details');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Check and confirm' }).waitFor();
    await page.getByText('Blood pressure check').waitFor();
    await checkScreen(page, 'scheduling-book-confirm');
    await page.getByRole('button', { name: 'Book this visit' }).click();
    await page.getByRole('heading', { name: 'Your visit is booked' }).waitFor();
    await checkScreen(page, 'scheduling-book-done');

    await page.getByRole('link', { name: 'See my appointments' }).click();
    await page.waitForURL(/\/portal\/appointments$/);
    // The demo patient may have visits of their own already: find the one just booked by its reason.
    const card = page.getByTestId('upcoming-list').getByTestId('appointment').filter({ hasText: 'Blood pressure check' });
    await card.waitFor();
    // "8:30 PM" picked → "8:30 – 8:45 PM" listed.
    expect(await card.textContent()).toContain(time.replace(/\s*[AP]M$/, ''));
    expect(await card.textContent()).toContain(doctor?.displayName ?? '');
    expect(await card.textContent()).toContain('Interpreter requested');
    // The clinic is in New York and the browser in UTC: both times are given.
    await card.getByText(/^Clinic time:/).waitFor();
    await checkScreen(page, 'scheduling-patient-list');

    // Cancel dialog: opens, says which visit, needs a reason; keep the visit.
    await card.getByRole('button', { name: 'Cancel visit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this visit?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Yes, cancel the visit' }).click();
    await dialog.getByText('Please say briefly why.').waitFor();
    expect(await seriousViolations(page), 'cancel dialog').toEqual([]);
    await screenshotBothWidths(page, 'scheduling-cancel-dialog');
    await dialog.getByRole('button', { name: 'No, keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.goto(`${origin}/portal`);
    await page.getByRole('region', { name: 'Upcoming visits' }).getByTestId('appointment').first().waitFor();
    await checkScreen(page, 'scheduling-patient-home');

    // The clinician's day view of that day shows the visit with the patient's name and the interpreter flag.
    await asBrowser(context, clinician);
    await page.goto(`${origin}/console/schedule?view=day&date=${day}`);
    await page.getByRole('heading', { name: 'Schedule', level: 1 }).waitFor();
    const item = page.getByTestId('calendar-item').filter({ hasText: time.replace(/\s*[AP]M$/, '') }).filter({ hasText: 'Interpreter' });
    await item.waitFor();
    const label = (await item.textContent()) ?? '';
    expect(label).toContain('Follow-up video visit');
    expect(label).toContain('Interpreter');
    await checkScreen(page, 'scheduling-clinician-day');
    await item.click();
    const details = page.getByRole('dialog', { name: 'Visit details' });
    await details.waitFor();
    await details.getByText('Blood pressure check').waitFor();
    expect(await seriousViolations(page), 'visit details').toEqual([]);
    await screenshotBothWidths(page, 'scheduling-clinician-details');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });

    await page.getByText('Week', { exact: true }).click();
    await page.waitForURL(/view=week/);
    await page.getByTestId('calendar-item').first().waitFor();
    await checkScreen(page, 'scheduling-clinician-week');
    await page.getByText('List', { exact: true }).click();
    await page.getByTestId('calendar-table').waitFor();
    await checkScreen(page, 'scheduling-clinician-list');

    await page.goto(`${origin}/console`);
    await page.getByRole('heading', { name: 'Console', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Today’s schedule' }).waitFor();
    await checkScreen(page, 'scheduling-clinician-home');

    await page.goto(`${origin}/console/availability`);
    await page.getByRole('heading', { name: 'Weekly hours' }).waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    await checkScreen(page, 'scheduling-availability');

    await page.goto(`${origin}/console/book`);
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await checkScreen(page, 'scheduling-book-for-patient');
    expect(browser.problems).toEqual([]);
  });
});
